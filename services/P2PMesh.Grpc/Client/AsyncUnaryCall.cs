using System.Runtime.CompilerServices;
using P2PMesh.Grpc.Client.Internal;

namespace P2PMesh.Grpc;

/// <summary>A unary call in flight. Await it for the response; dispose it to cancel.</summary>
/// <typeparam name="TResponse">The response message type.</typeparam>
public sealed class AsyncUnaryCall<TResponse> : AsyncCall<TResponse>
    where TResponse : class
{
    internal AsyncUnaryCall(IClientCall<TResponse> call)
        : base(call) => ResponseAsync = call.ReadSingleResponseAsync();

    /// <summary>The response; faults with <see cref="RpcException"/> when the call fails.</summary>
    public Task<TResponse> ResponseAsync { get; }

    /// <summary>Awaits <see cref="ResponseAsync"/>.</summary>
    public TaskAwaiter<TResponse> GetAwaiter() => ResponseAsync.GetAwaiter();
}
