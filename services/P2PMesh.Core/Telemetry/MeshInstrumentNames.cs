namespace P2PMesh.Core.Telemetry;

/// <summary>
/// The names of the mesh's metrics: the meter <see cref="MeterName"/> and its instruments, in
/// OpenTelemetry naming (<see href="https://opentelemetry.io/docs/specs/semconv/general/metrics/"/>).
/// These names are a contract: the Grafana dashboard and the deployment refer to them. Through the
/// OpenTelemetry Collector's Prometheus exporter a name becomes e.g. <c>p2pmesh_query_received_total</c>
/// (dots to underscores, the unit appended for <c>By</c> and <c>s</c>, <c>_total</c> for counters).
/// Every measurement carries the resource's <c>service.name</c> and <c>service.instance.id</c> (the
/// peer id); the instruments themselves have no attributes.
/// </summary>
public static class MeshInstrumentNames
{
    /// <summary>The meter every mesh instrument belongs to: <c>P2PMesh</c>.</summary>
    public const string MeterName = "P2PMesh";

    /// <summary>Counter, unit <c>{search}</c>: searches this peer started as the origin (a client's request, hops 0).</summary>
    public const string SearchStarted = "p2pmesh.search.started";

    /// <summary>Counter, unit <c>{query}</c>: search queries this peer received, duplicates included.</summary>
    public const string QueryReceived = "p2pmesh.query.received";

    /// <summary>Counter, unit <c>{query}</c>: queries this peer forwarded to a neighbour (one per neighbour asked).</summary>
    public const string QueryForwarded = "p2pmesh.query.forwarded";

    /// <summary>Counter, unit <c>{query}</c>: queries this peer had already seen and dropped (answered "duplicate").</summary>
    public const string QueryDuplicates = "p2pmesh.query.duplicates";

    /// <summary>Counter, unit <c>{hit}</c>: hits this peer found in its own share (not those it relayed).</summary>
    public const string SearchHits = "p2pmesh.search.hits";

    /// <summary>
    /// Histogram, unit <c>s</c>: at the origin, from receiving the search to its completion (the last
    /// event, the statistics, written).
    /// </summary>
    public const string SearchDuration = "p2pmesh.search.duration";

    /// <summary>Histogram, unit <c>{hop}</c>: the hop count at which each query arrived here (0 at the origin).</summary>
    public const string QueryHops = "p2pmesh.query.hops";

    /// <summary>Counter, unit <c>By</c>: file bytes this peer served (<c>ReadChunks</c>).</summary>
    public const string TransferSent = "p2pmesh.transfer.sent";

    /// <summary>Counter, unit <c>By</c>: file bytes this peer received (downloaded chunks and uploads).</summary>
    public const string TransferReceived = "p2pmesh.transfer.received";

    /// <summary>Counter, unit <c>{chunk}</c>: downloaded chunks whose SHA-256 did not match the manifest (discarded).</summary>
    public const string ChunkVerificationFailed = "p2pmesh.chunk.verification_failed";

    /// <summary>Observable gauge, unit <c>{peer}</c>: this peer's neighbours now.</summary>
    public const string Neighbours = "p2pmesh.neighbours";

    /// <summary>Observable gauge, unit <c>{file}</c>: files in this peer's content index.</summary>
    public const string IndexFiles = "p2pmesh.index.files";

    /// <summary>Observable gauge, unit <c>By</c>: total size of the files in this peer's content index.</summary>
    public const string IndexSize = "p2pmesh.index.size";
}
