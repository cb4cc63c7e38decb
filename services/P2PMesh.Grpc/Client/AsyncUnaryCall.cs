using System.Runtime.CompilerServices;
using P2PMesh.Grpc.Client.Internal;

namespace P2PMesh.Grpc;

/// <summary>A unary call in flight. Await it for the response; dispose it to cancel.</summary>
/// <typeparam name="TResponse">The response message type.</typeparam>
public sealed class AsyncUnaryCall<TResponse> : IDisposable
    where TResponse : class
{
    private readonly IClientCall<TResponse> _call;

    internal AsyncUnaryCall(IClientCall<TResponse> call)
    {
        _call = call;
        ResponseAsync = call.ReadSingleResponseAsync();
    }

    /// <summary>The response; faults with <see cref="RpcException"/> when the call fails.</summary>
    public Task<TResponse> ResponseAsync { get; }

    /// <summary>The response headers (custom metadata only).</summary>
    public Task<Metadata> ResponseHeadersAsync => _call.GetResponseHeadersAsync();

    /// <summary>The status, once the call has ended.</summary>
    /// <exception cref="InvalidOperationException">The call has not ended.</exception>
    public Status GetStatus() => _call.GetStatus();

    /// <summary>The trailers, once the call has ended.</summary>
    /// <exception cref="InvalidOperationException">The call has not ended.</exception>
    public Metadata GetTrailers() => _call.GetTrailers();

    /// <summary>Awaits <see cref="ResponseAsync"/>.</summary>
    public TaskAwaiter<TResponse> GetAwaiter() => ResponseAsync.GetAwaiter();

    /// <summary>Cancels the call if it is still running and releases its resources.</summary>
    public void Dispose() => _call.Dispose();
}
