using P2PMesh.Grpc.Client.Internal;

namespace P2PMesh.Grpc;

/// <summary>A server-streaming call in flight. Enumerate <see cref="ResponseStream"/>; dispose to cancel.</summary>
/// <typeparam name="TResponse">The response message type.</typeparam>
public sealed class AsyncServerStreamingCall<TResponse> : AsyncCall<TResponse>
    where TResponse : class
{
    internal AsyncServerStreamingCall(IClientCall<TResponse> call)
        : base(call) => ResponseStream = Client.Internal.ResponseStream.ReadAllAsync(call);

    /// <summary>
    /// The responses as they arrive (enumerate once). Ends after the last message when the status is
    /// OK; throws <see cref="RpcException"/> when the call fails, after the messages that came before.
    /// </summary>
    public IAsyncEnumerable<TResponse> ResponseStream { get; }
}
