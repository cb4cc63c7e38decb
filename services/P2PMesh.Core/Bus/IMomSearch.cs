using P2PMesh.V1;

namespace P2PMesh.Core.Bus;

/// <summary>
/// A search over the message bus (docs/architecture.md, Message bus; bus.proto): one <see cref="BusSearchRequest"/>
/// published to the fanout exchange <c>p2pmesh.search</c>, the holders' <see cref="BusSearchReply"/> answers collected
/// from this peer's reply queue until the deadline. Registered only when <c>Mom:Uri</c> is set; the PServer's
/// <c>Search</c> with <c>via = MOM</c> answers FAILED_PRECONDITION naming <c>Mom:Uri</c> without it.
/// </summary>
public interface IMomSearch
{
    /// <summary>
    /// Publishes the request and collects the answers that arrive before <paramref name="deadlineUtc"/> (or until
    /// <paramref name="cancellationToken"/> fires). Throws <see cref="Grpc.Core.RpcException"/> with UNAVAILABLE when the
    /// broker cannot be reached.
    /// </summary>
    /// <param name="queryId">16 bytes, as in <c>SearchRequest.query_id</c>.</param>
    /// <param name="pattern">A validated name glob or <c>sha256:&lt;hex&gt;</c>, as in <c>SearchRequest.pattern</c>.</param>
    /// <param name="deadlineUtc">When to stop waiting for answers (UTC).</param>
    /// <param name="cancellationToken">The caller's cancellation.</param>
    Task<MomSearchResult> SearchAsync(ReadOnlyMemory<byte> queryId, string pattern, DateTime deadlineUtc, CancellationToken cancellationToken);
}
