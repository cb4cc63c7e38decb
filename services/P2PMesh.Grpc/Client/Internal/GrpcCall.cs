using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using P2PMesh.Grpc.Internal;

namespace P2PMesh.Grpc.Client.Internal;

/// <summary>
/// One client call of any kind on one HTTP/2 stream (PROTOCOL-HTTP2.md): sends the request headers
/// and messages, reads response headers, messages and trailers (or Trailers-Only), and turns every
/// outcome (status, HTTP status, RST_STREAM, deadline, cancellation) into a <see cref="Status"/>.
/// </summary>
internal sealed class GrpcCall<TRequest, TResponse> : IClientCall<TResponse>
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly GrpcChannel _channel;
    private readonly Method<TRequest, TResponse> _method;
    private readonly CallOptions _options;
    private readonly CancellationTokenSource _callCts;
    private readonly CancellationTokenSource? _deadlineCts;
    private readonly Lazy<Task<HttpResponseMessage>> _response;
    private readonly Lock _lock = new();
    private HttpContent? _content;
    private HttpResponseMessage? _httpResponse;
    private PipeReader? _responseReader;
    private string? _responseEncoding;
    private Status? _status;
    private Metadata? _trailers;
    private Activity? _activity;
    private bool _disposed;

    public GrpcCall(GrpcChannel channel, Method<TRequest, TResponse> method, CallOptions options)
    {
        _channel = channel;
        _method = method;
        _options = options;
        _callCts = CancellationTokenSource.CreateLinkedTokenSource(options.CancellationToken);
        if (options.Deadline is { } deadline && deadline != DateTime.MaxValue)
        {
            var timeout = deadline.ToUniversalTime() - channel.Options.TimeProvider.GetUtcNow().UtcDateTime;
            Timeout = timeout;
            _deadlineCts = timeout <= TimeSpan.Zero
                ? new CancellationTokenSource()
                : timeout < GrpcTimeout.MaxTimer ? new CancellationTokenSource(timeout, channel.Options.TimeProvider) : null;
            if (timeout <= TimeSpan.Zero)
            {
                _deadlineCts!.Cancel();
            }
            if (_deadlineCts is not null)
            {
                _deadlineCts.Token.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), _callCts);
            }
        }
        _response = new Lazy<Task<HttpResponseMessage>>(SendAsync);
    }

    /// <summary>The time left when the call started; <c>null</c> without a deadline.</summary>
    public TimeSpan? Timeout { get; }

    /// <summary>The request body for streaming calls (null for unary and server streaming).</summary>
    public StreamingRequestContent<TRequest>? RequestStream { get; private set; }

    private bool DeadlineExceeded => _deadlineCts?.IsCancellationRequested == true;

    /// <summary>Starts a unary or server-streaming call with its one request.</summary>
    public void Start(TRequest request)
    {
        var size = request.CalculateSize();
        if (size > _channel.Options.MaxSendMessageSize)
        {
            Finish(new Status(StatusCode.ResourceExhausted,
                $"Sending message exceeds the maximum configured message size ({size} > {_channel.Options.MaxSendMessageSize} bytes)."), new Metadata());
            return;
        }
        Start(new UnaryRequestContent(request));
    }

    /// <summary>Starts a client-streaming or bidirectional call; requests go to <see cref="RequestStream"/>.</summary>
    public void StartStreaming()
    {
        RequestStream = new StreamingRequestContent<TRequest>(_channel.Options.MaxSendMessageSize, _callCts.Token, () => _status);
        Start(RequestStream);
    }

    public async Task<Metadata> GetResponseHeadersAsync()
    {
        var response = await GetResponseAsync().ConfigureAwait(false);
        var metadata = new Metadata();
        if (response is not null)
        {
            MetadataHeaders.AddTo(metadata, response.Headers);
        }
        return metadata;
    }

    public async ValueTask<TResponse?> ReadMessageAsync(CancellationToken cancellationToken)
    {
        var response = await GetResponseAsync().ConfigureAwait(false);
        if (response is null || _responseReader is null)
        {
            // Ended before any message: Trailers-Only, an HTTP error, or a transport failure.
            return ThrowIfFailed();
        }

        TResponse? message;
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(_callCts.Token, cancellationToken);
            message = await MessageFraming.ReadMessageAsync(
                _responseReader, _method.ResponseParser, _channel.Options.MaxReceiveMessageSize, _responseEncoding, linked.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested || _callCts.IsCancellationRequested)
        {
            // A bad frame or a limit is this side's verdict on the call: end it, and tell the server (RST_STREAM).
            FailAndCancel(ex);
            return ThrowIfFailed();
        }

        if (message is not null)
        {
            return message;
        }
        ReadTrailers(response);
        return ThrowIfFailed();
    }

    public async Task<TResponse> ReadSingleResponseAsync()
    {
        var message = await ReadMessageAsync(CancellationToken.None).ConfigureAwait(false);
        if (message is null)
        {
            // OK with no message is a broken server (PROTOCOL-HTTP2.md: a unary response carries one message).
            throw new RpcException(new Status(StatusCode.Internal, "Failed to deserialize response message: the server sent no message with status OK."));
        }
        if (await ReadMessageAsync(CancellationToken.None).ConfigureAwait(false) is not null)
        {
            FailAndCancel(new RpcException(new Status(StatusCode.Internal, "The server sent more than one response message in a unary call.")));
            ThrowIfFailed();
        }
        return message;
    }

    public Status GetStatus() => _status ?? throw new InvalidOperationException("The call has not ended yet.");

    public Metadata GetTrailers() => _trailers ?? throw new InvalidOperationException("The call has not ended yet.");

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
        }
        if (_status is null)
        {
            Finish(new Status(StatusCode.Cancelled, "Call canceled by the client (disposed)."), new Metadata());
        }
        // _callCts stays undisposed (it owns no timer): reads and writes still in flight observe it.
        _callCts.Cancel();
        RequestStream?.Abort();
        _httpResponse?.Dispose();
        _deadlineCts?.Dispose();
    }

    private void Start(HttpContent content)
    {
        _content = content;
        if (DeadlineExceeded)
        {
            Finish(new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded"), new Metadata());
            return;
        }
        // Send now, so that headers go out even if the caller never reads (e.g. a client stream).
        _ = _response.Value;
    }

    private async Task<HttpResponseMessage> SendAsync()
    {
        // Started here, on the caller's flow (Activity.Current is its parent); Finish stops it.
        lock (_lock)
        {
            if (_status is null)
            {
                _activity = RpcSpans.StartClient(_channel.Options.ActivitySource, _method, _channel.Address);
            }
        }
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_channel.Address, _method.FullName))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = _content,
        };
        var headers = request.Headers;
        headers.TryAddWithoutValidation(GrpcProtocolConstants.TeHeader, GrpcProtocolConstants.TeTrailers);
        headers.TryAddWithoutValidation("user-agent", GrpcProtocolConstants.UserAgent);
        headers.TryAddWithoutValidation(GrpcProtocolConstants.AcceptEncodingHeader, GrpcProtocolConstants.AcceptedEncodings);
        if (Timeout is { } timeout)
        {
            headers.TryAddWithoutValidation(GrpcProtocolConstants.TimeoutHeader, GrpcTimeout.Format(timeout));
        }
        if (_options.Headers is { } metadata)
        {
            foreach (var entry in metadata)
            {
                if (GrpcProtocolConstants.IsReservedHeader(entry.Key))
                {
                    throw new InvalidOperationException($"'{entry.Key}' is a reserved header and can't be sent as metadata.");
                }
                headers.TryAddWithoutValidation(entry.Key, MetadataHeaders.ToHeaderValue(entry));
            }
        }
        // W3C Trace Context in the metadata, so the server's span joins this trace as the child of this call's span
        // (without one, the handler propagates Activity.Current itself).
        if (_activity is { } activity)
        {
            RpcSpans.Inject(activity, request);
        }

        var response = await _channel.Invoker.SendAsync(request, _callCts.Token).ConfigureAwait(false);
        _httpResponse = response;
        return response;
    }

    /// <summary>The HTTP response once its headers are in, validated; <c>null</c> if the call already ended.</summary>
    private async Task<HttpResponseMessage?> GetResponseAsync()
    {
        if (_status is not null && _responseReader is null)
        {
            return _httpResponse;
        }
        HttpResponseMessage response;
        try
        {
            response = await _response.Value.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Finish(GrpcStatusMapping.FromException(ex, DeadlineExceeded, _options.CancellationToken.IsCancellationRequested), new Metadata());
            return null;
        }

        lock (_lock)
        {
            if (_responseReader is not null || _status is not null)
            {
                return response;
            }
            if (response.StatusCode != HttpStatusCode.OK)
            {
                var detail = response.Headers.TryGetValues(GrpcProtocolConstants.MessageTrailer, out var messages)
                    ? $"Bad gRPC response. HTTP status code: {(int)response.StatusCode}. {PercentEncoding.Decode(messages.First())}"
                    : $"Bad gRPC response. HTTP status code: {(int)response.StatusCode}.";
                Finish(new Status(GrpcStatusMapping.FromHttpStatus(response.StatusCode), detail), new Metadata());
                return response;
            }
            if (response.Headers.Contains(GrpcProtocolConstants.StatusTrailer))
            {
                // Trailers-Only (PROTOCOL-HTTP2.md, Responses): the status came in the headers.
                Finish(ReadStatus(response.Headers), ReadMetadata(response.Headers));
                return response;
            }
            var contentType = response.Content.Headers.ContentType?.ToString();
            if (!GrpcProtocolConstants.IsGrpcContentType(contentType))
            {
                Finish(new Status(StatusCode.Unknown, $"Bad gRPC response. Invalid content-type value: '{contentType}'."), new Metadata());
                return response;
            }
            _responseEncoding = response.Headers.TryGetValues(GrpcProtocolConstants.EncodingHeader, out var encodings) ? encodings.First() : null;
        }
        var stream = await response.Content.ReadAsStreamAsync(_callCts.Token).ConfigureAwait(false);
        lock (_lock)
        {
            _responseReader ??= PipeReader.Create(stream);
        }
        return response;
    }

    private void ReadTrailers(HttpResponseMessage response)
    {
        var trailers = response.TrailingHeaders;
        if (!trailers.Contains(GrpcProtocolConstants.StatusTrailer))
        {
            Finish(new Status(StatusCode.Unknown, "No grpc-status found on response."), ReadMetadata(trailers));
            return;
        }
        Finish(ReadStatus(trailers), ReadMetadata(trailers));
    }

    private static Status ReadStatus(HttpHeaders headers)
    {
        var code = headers.GetValues(GrpcProtocolConstants.StatusTrailer).First();
        if (!int.TryParse(code, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value))
        {
            return new Status(StatusCode.Unknown, $"Unexpected grpc-status value '{code}'.");
        }
        var message = headers.TryGetValues(GrpcProtocolConstants.MessageTrailer, out var messages)
            ? PercentEncoding.Decode(messages.First())
            : string.Empty;
        return new Status((StatusCode)value, message);
    }

    private static Metadata ReadMetadata(HttpHeaders headers)
    {
        var metadata = new Metadata();
        MetadataHeaders.AddTo(metadata, headers);
        return metadata;
    }

    private void FailAndCancel(Exception exception)
    {
        Finish(GrpcStatusMapping.FromException(exception, DeadlineExceeded, _options.CancellationToken.IsCancellationRequested), new Metadata());
        _callCts.Cancel();
    }

    private void Finish(Status status, Metadata trailers)
    {
        Activity? activity;
        lock (_lock)
        {
            if (_status is not null)
            {
                return;
            }
            _status = status;
            _trailers = trailers;
            activity = _activity;
        }
        if (activity is not null)
        {
            RpcSpans.StopClient(activity, status);
        }
        // Nothing more will be read or written: release the request body so HttpClient can finish.
        RequestStream?.Abort();
    }

    private TResponse? ThrowIfFailed()
    {
        var status = GetStatus();
        if (status.StatusCode != StatusCode.OK)
        {
            throw new RpcException(status, _trailers ?? new Metadata());
        }
        return null;
    }
}
