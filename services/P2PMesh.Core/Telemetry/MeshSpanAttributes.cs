namespace P2PMesh.Core.Telemetry;

/// <summary>
/// The mesh's span attributes. A search's server span at each visited peer (the
/// <c>p2pmesh.v1.Peer/Search</c> span of <see cref="Grpc.GrpcTelemetry"/>) carries <see cref="QueryId"/>,
/// <see cref="Ttl"/>, <see cref="Hops"/>, <see cref="Duplicate"/> and <see cref="Hits"/>, so the trace's
/// tree is the flood's tree; transfer spans carry <see cref="FileSha256"/>, <see cref="TransferBytes"/>
/// and <see cref="TransferSource"/>.
/// </summary>
public static class MeshSpanAttributes
{
    /// <summary>The query id, 32 lowercase hex digits (the 16 bytes of <c>SearchRequest.query_id</c>).</summary>
    public const string QueryId = "p2pmesh.query_id";

    /// <summary>The TTL the query arrived with (int).</summary>
    public const string Ttl = "p2pmesh.ttl";

    /// <summary>The hop count the query arrived with, 0 at the origin (int).</summary>
    public const string Hops = "p2pmesh.hops";

    /// <summary>Whether this peer had seen the query before and dropped it (bool).</summary>
    public const string Duplicate = "p2pmesh.duplicate";

    /// <summary>Hits this peer found in its own share (int; relayed hits are not counted).</summary>
    public const string Hits = "p2pmesh.hits";

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
}
