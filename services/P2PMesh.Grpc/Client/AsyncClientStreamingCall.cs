using System.Runtime.CompilerServices;
using P2PMesh.Grpc.Client.Internal;

namespace P2PMesh.Grpc;

/// <summary>
/// A client-streaming call in flight: write requests to <see cref="RequestStream"/>, complete it,
/// then await the response. Dispose to cancel.
/// </summary>
/// <typeparam name="TRequest">The request message type.</typeparam>
/// <typeparam name="TResponse">The response message type.</typeparam>
public sealed class AsyncClientStreamingCall<TRequest, TResponse> : IDisposable
    where TResponse : class
{
    private readonly IClientCall<TResponse> _call;

    internal AsyncClientStreamingCall(IClientCall<TResponse> call, IClientStreamWriter<TRequest> requestStream)
    {
        _call = call;
        RequestStream = requestStream;
        ResponseAsync = call.ReadSingleResponseAsync();
    }

    /// <summary>Where requests go.</summary>
    public IClientStreamWriter<TRequest> RequestStream { get; }

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
