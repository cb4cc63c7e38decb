using System.Runtime.CompilerServices;
using P2PMesh.Grpc.Client.Internal;

namespace P2PMesh.Grpc;

/// <summary>
/// A client-streaming call in flight: write requests to <see cref="RequestStream"/>, complete it,
/// then await the response. Dispose to cancel.
/// </summary>
/// <typeparam name="TRequest">The request message type.</typeparam>
/// <typeparam name="TResponse">The response message type.</typeparam>
public sealed class AsyncClientStreamingCall<TRequest, TResponse> : AsyncCall<TResponse>
    where TResponse : class
{
    internal AsyncClientStreamingCall(IClientCall<TResponse> call, IClientStreamWriter<TRequest> requestStream)
        : base(call)
    {
        RequestStream = requestStream;
        ResponseAsync = call.ReadSingleResponseAsync();
    }

    /// <summary>Where requests go.</summary>
    public IClientStreamWriter<TRequest> RequestStream { get; }

    /// <summary>The response; faults with <see cref="RpcException"/> when the call fails.</summary>
    public Task<TResponse> ResponseAsync { get; }

    /// <summary>Awaits <see cref="ResponseAsync"/>.</summary>
    public TaskAwaiter<TResponse> GetAwaiter() => ResponseAsync.GetAwaiter();
}
