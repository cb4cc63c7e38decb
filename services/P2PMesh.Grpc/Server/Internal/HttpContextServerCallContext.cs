using System.Globalization;
using System.Net.Sockets;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Logging;
using P2PMesh.Grpc.Internal;

namespace P2PMesh.Grpc.Server.Internal;

/// <summary>
/// One server call on one HTTP/2 stream: reads and writes length-prefixed messages, owns the
/// deadline, and ends the call with a status in trailers, or Trailers-Only when nothing was sent yet
/// (PROTOCOL-HTTP2.md, Responses). Writes and the status are serialized by one lock so that a
/// deadline firing during a write cannot interleave frames.
/// </summary>
internal sealed class HttpContextServerCallContext : ServerCallContext, IDisposable
{
    private readonly HttpContext _httpContext;
    private readonly GrpcServerOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _callCts;
    private readonly CancellationTokenSource? _deadlineCts;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly string? _requestEncoding;
    private Metadata? _requestHeaders;
    private CancellationTokenRegistration _deadlineRegistration;
    private Task? _deadlineTask;
    private bool _completed;

    /// <summary>Sets up the response headers and the deadline from the request's protocol headers.</summary>
    public HttpContextServerCallContext(HttpContext httpContext, string method, GrpcServerOptions options, ILogger logger, TimeProvider timeProvider)
    {
        _httpContext = httpContext;
        Method = method;
        _options = options;
        _logger = logger;

        var response = httpContext.Response;
        response.ContentType = GrpcProtocolConstants.ContentType;
        response.Headers[GrpcProtocolConstants.AcceptEncodingHeader] = GrpcProtocolConstants.AcceptedEncodings;

        // Streams may be long and slow (client streaming, Watch): Kestrel's body size and data-rate
        // limits are for plain HTTP requests; the gRPC receive limit applies per message instead.
        if (httpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = null;
        }
        if (httpContext.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } rate)
        {
            rate.MinDataRate = null;
        }

        var encoding = httpContext.Request.Headers[GrpcProtocolConstants.EncodingHeader].ToString();
        _requestEncoding = string.IsNullOrEmpty(encoding) ? null : encoding;

        Deadline = DateTime.MaxValue;
        var timeoutHeader = httpContext.Request.Headers[GrpcProtocolConstants.TimeoutHeader].ToString();
        if (timeoutHeader.Length > 0)
        {
            if (GrpcTimeout.TryParse(timeoutHeader, out var timeout) && timeout < GrpcTimeout.MaxTimer)
            {
                Deadline = timeProvider.GetUtcNow().UtcDateTime + timeout;
                _deadlineCts = new CancellationTokenSource(timeout, timeProvider);
            }
            else if (timeout < GrpcTimeout.MaxTimer)
            {
                GrpcServerLog.InvalidTimeout(logger, timeoutHeader);
            }
        }
        _callCts = _deadlineCts is null
            ? CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted)
            : CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted, _deadlineCts.Token);
    }

    /// <summary>Refuses a request <c>grpc-encoding</c> this server cannot decode.</summary>
    /// <exception cref="RpcException">UNIMPLEMENTED (PROTOCOL-HTTP2.md, Message-Encoding), with grpc-accept-encoding already set.</exception>
    public void ValidateEncoding()
    {
        if (_requestEncoding is not null and not GrpcProtocolConstants.IdentityEncoding and not GrpcProtocolConstants.GzipEncoding)
        {
            throw new RpcException(new Status(StatusCode.Unimplemented,
                $"Unsupported grpc-encoding value '{_requestEncoding}'. Supported encodings: {GrpcProtocolConstants.AcceptedEncodings}."));
        }
    }

    public override string Method { get; }

    public override string Peer
    {
        get
        {
            var connection = _httpContext.Connection;
            if (connection.RemoteIpAddress is null)
            {
                return "unknown";
            }
            var port = connection.RemotePort.ToString(CultureInfo.InvariantCulture);
            return connection.RemoteIpAddress.AddressFamily == AddressFamily.InterNetworkV6
                ? $"ipv6:[{connection.RemoteIpAddress}]:{port}"
                : $"ipv4:{connection.RemoteIpAddress}:{port}";
        }
    }

    public override DateTime Deadline { get; }

    public override Metadata RequestHeaders => _requestHeaders ??= ReadRequestHeaders();

    public override Metadata ResponseTrailers { get; } = new();

    public override CancellationToken CancellationToken => _callCts.Token;

    public override HttpContext HttpContext => _httpContext;

    /// <summary>The status the call ended with (in trailers or Trailers-Only); <c>null</c> while it runs.</summary>
    public Status? SentStatus { get; private set; }

    /// <summary>Whether the deadline passed (as opposed to a client cancellation).</summary>
    public bool DeadlineExceeded => _deadlineCts?.IsCancellationRequested == true;

    /// <summary>Whether the client went away (RST_STREAM or connection loss).</summary>
    public bool ClientCancelled => _httpContext.RequestAborted.IsCancellationRequested;

    /// <summary>
    /// Arms the deadline: when it passes, the call ends with DEADLINE_EXCEEDED at once, whether or not
    /// the handler notices its token (PROTOCOL-HTTP2.md, Requests: Timeout).
    /// </summary>
    public void StartDeadline()
    {
        if (_deadlineCts is not null)
        {
            _deadlineRegistration = _deadlineCts.Token.UnsafeRegister(
                static state => ((HttpContextServerCallContext)state!).OnDeadline(), this);
        }
    }

    public override async Task WriteResponseHeadersAsync(Metadata responseHeaders)
    {
        ArgumentNullException.ThrowIfNull(responseHeaders);
        await _writeLock.WaitAsync(CancellationToken).ConfigureAwait(false);
        try
        {
            if (_completed || _httpContext.Response.HasStarted)
            {
                throw new InvalidOperationException("Response headers can only be sent once per call, before any message.");
            }
            AppendMetadata(_httpContext.Response.Headers, responseHeaders);
            await _httpContext.Response.BodyWriter.FlushAsync(CancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Reads the next request message; <c>null</c> when the client has half-closed.</summary>
    public ValueTask<T?> ReadMessageAsync<T>(MessageParser<T> parser, CancellationToken cancellationToken)
        where T : class, IMessage<T> =>
        MessageFraming.ReadMessageAsync(_httpContext.Request.BodyReader, parser, _options.MaxReceiveMessageSize, _requestEncoding, cancellationToken);

    /// <summary>Reads the one request message of a unary or server-streaming call.</summary>
    /// <exception cref="RpcException">INTERNAL when there is no message or more than one.</exception>
    public async Task<T> ReadSingleMessageAsync<T>(MessageParser<T> parser)
        where T : class, IMessage<T>
    {
        var message = await ReadMessageAsync(parser, CancellationToken).ConfigureAwait(false)
            ?? throw new RpcException(new Status(StatusCode.Internal, "Request did not include a message."));
        if (await ReadMessageAsync(parser, CancellationToken).ConfigureAwait(false) is not null)
        {
            throw new RpcException(new Status(StatusCode.Internal, "Additional data after the request message of a unary call."));
        }
        return message;
    }

    /// <summary>Writes one response message (headers go with the first).</summary>
    public async Task WriteMessageAsync(IMessage message, CancellationToken cancellationToken)
    {
        using var linked = cancellationToken.CanBeCanceled
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, CancellationToken)
            : null;
        var token = linked?.Token ?? CancellationToken;
        await _writeLock.WaitAsync(token).ConfigureAwait(false);
        try
        {
            if (_completed)
            {
                throw new InvalidOperationException("Can't write the message because the call is complete.");
            }
            await MessageFraming.WriteMessageAsync(_httpContext.Response.BodyWriter, message, _options.MaxSendMessageSize, token).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Ends the call with the status for <paramref name="exception"/>, or <see cref="ServerCallContext.Status"/>
    /// when it is <c>null</c>. A no-op when the call already ended (e.g. at its deadline).
    /// </summary>
    public async Task EndCallAsync(Exception? exception)
    {
        var status = exception is null ? Status : StatusFromException(exception);
        if (exception is RpcException rpc)
        {
            foreach (var entry in rpc.Trailers)
            {
                ResponseTrailers.Add(entry);
            }
        }
        await _writeLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (!_completed)
            {
                _completed = true;
                WriteStatus(status);
            }
        }
        finally
        {
            _writeLock.Release();
        }
        if (_deadlineTask is not null)
        {
            await _deadlineTask.ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _deadlineRegistration.Dispose();
        _callCts.Dispose();
        _deadlineCts?.Dispose();
    }

    private Status StatusFromException(Exception exception)
    {
        switch (exception)
        {
            case RpcException rpc:
                return rpc.Status;
            case OperationCanceledException when DeadlineExceeded:
                return new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded");
            case OperationCanceledException when ClientCancelled:
                return new Status(StatusCode.Cancelled, "Call canceled by the client.");
            default:
                GrpcServerLog.HandlerError(_logger, Method, exception);
                var detail = _options.EnableDetailedErrors
                    ? $"Exception was thrown by handler. {exception.GetType().Name}: {exception.Message}"
                    : "Exception was thrown by handler.";
                return new Status(StatusCode.Unknown, detail);
        }
    }

    private void OnDeadline()
    {
        GrpcServerLog.DeadlineExceeded(_logger, Method);
        _deadlineTask = EndCallAtDeadlineAsync();
    }

    private async Task EndCallAtDeadlineAsync()
    {
        // The handler's writes observe the same (now cancelled) token, so the lock comes free quickly.
        await _writeLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (_completed)
            {
                return;
            }
            _completed = true;
            WriteStatus(new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded"));
            await _httpContext.Response.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException)
        {
            // The client is already gone; nothing left to tell it.
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private void WriteStatus(Status status)
    {
        SentStatus = status;
        var response = _httpContext.Response;
        if (!response.HasStarted)
        {
            // Nothing sent yet: Kestrel ends the stream with this single HEADERS frame.
            TrailersOnlyResponse.Apply(response, status, ResponseTrailers);
            return;
        }

        if (!response.SupportsTrailers())
        {
            GrpcServerLog.TrailersNotSupported(_logger, Method);
            return;
        }
        response.AppendTrailer(GrpcProtocolConstants.StatusTrailer, ((int)status.StatusCode).ToString(CultureInfo.InvariantCulture));
        if (!string.IsNullOrEmpty(status.Detail))
        {
            response.AppendTrailer(GrpcProtocolConstants.MessageTrailer, PercentEncoding.Encode(status.Detail));
        }
        foreach (var entry in ResponseTrailers)
        {
            response.AppendTrailer(entry.Key, MetadataHeaders.ToHeaderValue(entry));
        }
    }

    private static void AppendMetadata(IHeaderDictionary headers, Metadata metadata)
    {
        foreach (var entry in metadata)
        {
            if (GrpcProtocolConstants.IsReservedHeader(entry.Key))
            {
                throw new InvalidOperationException($"'{entry.Key}' is a reserved header and can't be sent as metadata.");
            }
            headers.Append(entry.Key, MetadataHeaders.ToHeaderValue(entry));
        }
    }

    private Metadata ReadRequestHeaders()
    {
        var metadata = new Metadata();
        MetadataHeaders.AddTo(metadata, _httpContext.Request.Headers.Select(
            h => new KeyValuePair<string, IEnumerable<string>>(h.Key, h.Value.Select(v => v ?? string.Empty))));
        return metadata;
    }
}
