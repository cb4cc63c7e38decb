using P2PMesh.Grpc.Client.Internal;

namespace P2PMesh.Grpc;

/// <summary>A server-streaming call in flight. Enumerate <see cref="ResponseStream"/>; dispose to cancel.</summary>
/// <typeparam name="TResponse">The response message type.</typeparam>
public sealed class AsyncServerStreamingCall<TResponse> : IDisposable
    where TResponse : class
{
    private readonly IClientCall<TResponse> _call;

    internal AsyncServerStreamingCall(IClientCall<TResponse> call)
    {
        _call = call;
        ResponseStream = Client.Internal.ResponseStream.ReadAllAsync(call);
    }

    /// <summary>
    /// The responses as they arrive (enumerate once). Ends after the last message when the status is
    /// OK; throws <see cref="RpcException"/> when the call fails, after the messages that came before.
    /// </summary>
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
