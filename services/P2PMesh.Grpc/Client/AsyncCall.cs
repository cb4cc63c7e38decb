using P2PMesh.Grpc.Client.Internal;

namespace P2PMesh.Grpc;

/// <summary>
/// What every client call in flight offers, whatever its kind: response headers, the final status and
/// trailers, and cancellation by disposal (PROTOCOL-HTTP2.md, Responses).
/// </summary>
/// <typeparam name="TResponse">The response message type.</typeparam>
public abstract class AsyncCall<TResponse> : IDisposable
    where TResponse : class
{
    private protected AsyncCall(IClientCall<TResponse> call) => Call = call;

    private protected IClientCall<TResponse> Call { get; }

    /// <summary>The response headers (custom metadata only); empty for a Trailers-Only response.</summary>
    public Task<Metadata> ResponseHeadersAsync => Call.GetResponseHeadersAsync();

    /// <summary>The status, once the call has ended.</summary>
    /// <exception cref="InvalidOperationException">The call has not ended.</exception>
    public Status GetStatus() => Call.GetStatus();

    /// <summary>The trailers, once the call has ended.</summary>
    /// <exception cref="InvalidOperationException">The call has not ended.</exception>
    public Metadata GetTrailers() => Call.GetTrailers();

    /// <summary>Cancels the call if it is still running (RST_STREAM CANCEL) and releases its resources.</summary>
    public void Dispose()
    {
        Call.Dispose();
        GC.SuppressFinalize(this);
    }
}
