using P2PMesh.Grpc.Client.Internal;

namespace P2PMesh.Grpc;

/// <summary>
/// A bidirectional call in flight: write to <see cref="RequestStream"/> and read
/// <see cref="ResponseStream"/> independently (full duplex over one HTTP/2 stream). Dispose to cancel.
/// </summary>
/// <typeparam name="TRequest">The request message type.</typeparam>
/// <typeparam name="TResponse">The response message type.</typeparam>
public sealed class AsyncDuplexStreamingCall<TRequest, TResponse> : AsyncCall<TResponse>
    where TResponse : class
{
    internal AsyncDuplexStreamingCall(IClientCall<TResponse> call, IClientStreamWriter<TRequest> requestStream)
        : base(call)
    {
        RequestStream = requestStream;
        ResponseStream = Client.Internal.ResponseStream.ReadAllAsync(call);
    }

    /// <summary>Where requests go.</summary>
    public IClientStreamWriter<TRequest> RequestStream { get; }

    /// <summary>The responses as they arrive (enumerate once); throws <see cref="RpcException"/> when the call fails.</summary>
    public IAsyncEnumerable<TResponse> ResponseStream { get; }
}
