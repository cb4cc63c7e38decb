using P2PMesh.Grpc.Client.Internal;

namespace P2PMesh.Grpc;

/// <summary>
/// A bidirectional call in flight: write to <see cref="RequestStream"/> and read
/// <see cref="ResponseStream"/> independently (full duplex over one HTTP/2 stream). Dispose to cancel.
/// </summary>
/// <typeparam name="TRequest">The request message type.</typeparam>
/// <typeparam name="TResponse">The response message type.</typeparam>
public sealed class AsyncDuplexStreamingCall<TRequest, TResponse> : IDisposable
    where TResponse : class
{
    private readonly IClientCall<TResponse> _call;

    internal AsyncDuplexStreamingCall(IClientCall<TResponse> call, IClientStreamWriter<TRequest> requestStream)
    {
        _call = call;
        RequestStream = requestStream;
        ResponseStream = Client.Internal.ResponseStream.ReadAllAsync(call);
    }

    /// <summary>Where requests go.</summary>
    public IClientStreamWriter<TRequest> RequestStream { get; }

    /// <summary>The responses as they arrive (enumerate once); throws <see cref="RpcException"/> when the call fails.</summary>
    public IAsyncEnumerable<TResponse> ResponseStream { get; }

    /// <summary>The response headers (custom metadata only).</summary>
    public Task<Metadata> ResponseHeadersAsync => _call.GetResponseHeadersAsync();

    /// <summary>The status, once the call has ended.</summary>
    /// <exception cref="InvalidOperationException">The call has not ended.</exception>
    public Status GetStatus() => _call.GetStatus();

    /// <summary>The trailers, once the call has ended.</summary>
    /// <exception cref="InvalidOperationException">The call has not ended.</exception>
    public Metadata GetTrailers() => _call.GetTrailers();

    /// <summary>Cancels the call if it is still running and releases its resources.</summary>
    public void Dispose() => _call.Dispose();
}
