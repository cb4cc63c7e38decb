using System.IO.Pipelines;
using System.Net;
using Google.Protobuf;
using P2PMesh.Grpc.Internal;

namespace P2PMesh.Grpc.Client.Internal;

/// <summary>
/// The body of a client-streaming or bidirectional request. HttpClient hands over the HTTP/2 request
/// stream when it starts sending; messages are written to it as the caller produces them, and the body
/// (and so the request side of the stream, END_STREAM) ends when the caller completes it. The response
/// can arrive meanwhile: that is what makes the call full duplex.
/// </summary>
internal sealed class StreamingRequestContent<TRequest> : HttpContent, IClientStreamWriter<TRequest>
    where TRequest : IMessage
{
    private readonly TaskCompletionSource<Stream> _stream = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _complete = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly int? _maxMessageSize;
    private readonly CancellationToken _callToken;
    private readonly Func<Status?> _endedStatus;
    private PipeWriter? _writer;
    private bool _completed;

    /// <param name="maxMessageSize">The send limit.</param>
    /// <param name="callToken">Fires when the call is cancelled or passes its deadline.</param>
    /// <param name="endedStatus">The call's status once it has ended, else <c>null</c>.</param>
    public StreamingRequestContent(int? maxMessageSize, CancellationToken callToken, Func<Status?> endedStatus)
    {
        _maxMessageSize = maxMessageSize;
        _callToken = callToken;
        _endedStatus = endedStatus;
        Headers.TryAddWithoutValidation("content-type", GrpcProtocolConstants.ContentType);
    }

    public async Task WriteAsync(TRequest message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ThrowIfEnded();
        if (_completed)
        {
            throw new InvalidOperationException("Can't write to the request stream after CompleteAsync.");
        }
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(_callToken, cancellationToken);
        try
        {
            await _writeLock.WaitAsync(linked.Token).ConfigureAwait(false);
            try
            {
                ThrowIfEnded();
                var stream = await _stream.Task.WaitAsync(linked.Token).ConfigureAwait(false);
                _writer ??= PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
                await MessageFraming.WriteMessageAsync(_writer, message, _maxMessageSize, linked.Token).ConfigureAwait(false);
            }
            finally
            {
                _writeLock.Release();
            }
        }
        catch (Exception ex) when (ex is not RpcException && !cancellationToken.IsCancellationRequested)
        {
            // The call itself ended (cancelled, deadline, the server finished or reset the stream) while
            // writing: whatever the transport threw, report it as the call's status.
            ThrowIfEnded();
            throw new RpcException(new Status(StatusCode.Unavailable, $"The request stream could not be written: {ex.Message}"), new Metadata(), ex);
        }
    }

    private void ThrowIfEnded()
    {
        if (_endedStatus() is { } status)
        {
            throw new RpcException(status.StatusCode == StatusCode.OK
                ? new Status(StatusCode.Internal, "Can't write to the request stream: the call has already ended.")
                : status);
        }
    }

    public async Task CompleteAsync()
    {
        await _writeLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            _completed = true;
            _complete.TrySetResult();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Ends the body without waiting for the caller (the call is over).</summary>
    public void Abort()
    {
        _completed = true;
        _complete.TrySetResult();
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        _stream.TrySetResult(stream);
        await _complete.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_writer is not null)
            {
                await _writer.CompleteAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
