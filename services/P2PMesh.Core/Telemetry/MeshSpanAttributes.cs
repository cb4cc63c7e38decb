namespace P2PMesh.Core.Telemetry;

/// <summary>
/// The mesh's span attributes. A search's server span at each visited peer (the
/// <c>p2pmesh.v1.Peer/Search</c> request span ASP.NET Core starts for the call) carries <see cref="QueryId"/>,
/// <see cref="Ttl"/>, <see cref="Hops"/>, <see cref="Duplicate"/> and <see cref="Hits"/>, so the trace's
/// tree is the flood's tree. The search a PClient-API starts (<c>GET /api/search</c>) is the internal
/// span <see cref="SearchSpanName"/> from <see cref="MeshActivitySources.Search"/>, the root of that tree
/// (under the REST request's server span): it carries <see cref="QueryId"/>, <see cref="Pattern"/> and
/// <see cref="Ttl"/>, and once the flood is over <see cref="Hits"/> (every hit received), <see cref="Files"/>,
/// <see cref="PeersReached"/>, <see cref="Messages"/> and <see cref="Duplicates"/>. Transfer spans carry
/// <see cref="FileSha256"/>, <see cref="TransferBytes"/> and <see cref="TransferSource"/>.
/// </summary>
public static class MeshSpanAttributes
{
    /// <summary>The name of the search span a PClient-API records per <c>GET /api/search</c>: <c>p2pmesh.search</c>.</summary>
    public const string SearchSpanName = "p2pmesh.search";

    /// <summary>
    /// The query id, 32 lowercase hex digits (the 16 bytes of <c>SearchRequest.query_id</c>, formatted by
    /// <see cref="Search.QueryIdFormat"/>): the same string as the REST API's <c>queryId</c>.
    /// </summary>
    public const string QueryId = "p2pmesh.query_id";

    /// <summary>The search pattern as the client gave it (string; a glob or <c>sha256:&lt;hex&gt;</c>).</summary>
    public const string Pattern = "p2pmesh.pattern";

    /// <summary>The TTL the query arrived with (int).</summary>
    public const string Ttl = "p2pmesh.ttl";

    /// <summary>The hop count the query arrived with, 0 at the origin (int).</summary>
    public const string Hops = "p2pmesh.hops";

    /// <summary>Whether this peer had seen the query before and dropped it (bool).</summary>
    public const string Duplicate = "p2pmesh.duplicate";

    /// <summary>
    /// On a hop's server span, the hits this peer found in its own share (int; relayed hits are not
    /// counted); on the search span, every hit the flood returned (int; one per holder and file).
    /// </summary>
    public const string Hits = "p2pmesh.hits";

    /// <summary>Distinct files (by SHA-256) the search found (int; search span only).</summary>
    public const string Files = "p2pmesh.files";

    /// <summary>Peers the flood reached, the origin included (int; search span only, from the flood's statistics).</summary>
    public const string PeersReached = "p2pmesh.peers_reached";

    /// <summary>Search messages the flood sent between peers (int; search span only, from the flood's statistics).</summary>
    public const string Messages = "p2pmesh.messages";

    /// <summary>Copies of the query dropped as already seen (int; search span only, from the flood's statistics).</summary>
    public const string Duplicates = "p2pmesh.duplicates";

    /// <summary>Neighbours this peer forwarded the query to (int).</summary>
    public const string Forwarded = "p2pmesh.forwarded";

    /// <summary>The peer id of the neighbour that forwarded the query here; absent at the origin.</summary>
    public const string Sender = "p2pmesh.sender";

    /// <summary>The SHA-256 of the file transferred, 64 lowercase hex digits.</summary>
    public const string FileSha256 = "p2pmesh.file.sha256";

    /// <summary>File bytes moved by the span (int).</summary>
    public const string TransferBytes = "p2pmesh.transfer.bytes";

    /// <summary>The source peer(s) of a download, <c>host:port</c>, comma-separated.</summary>
    public const string TransferSource = "p2pmesh.transfer.source";

    /// <summary>
    /// At the origin of a search: the path that answered (string: <c>flood</c>, <c>directory</c> or <c>mom</c>;
    /// docs/architecture.md, Search modes).
    /// </summary>
    public const string AnsweredBy = "p2pmesh.search.answered_by";
}
