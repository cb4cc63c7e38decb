using System.Diagnostics.Metrics;

namespace P2PMesh.Core.Telemetry;

/// <summary>
/// The mesh's counters and histograms (names and units in <see cref="MeshInstrumentNames"/>), on this
/// host's meter <see cref="MeshInstrumentNames.MeterName"/> created through the host's
/// <see cref="IMeterFactory"/> (so each host in a process has its own meter, <see cref="Meter.Scope"/> =
/// the factory). Without a listener every call is a cheap no-op. Thread-safe; one per host (DI singleton).
/// </summary>
public sealed class MeshMetrics
{
    private readonly Counter<long> _searchStarted;
    private readonly Counter<long> _queryReceived;
    private readonly Counter<long> _queryForwarded;
    private readonly Counter<long> _queryDuplicates;
    private readonly Counter<long> _searchHits;
    private readonly Histogram<double> _searchDuration;
    private readonly Histogram<int> _queryHops;
    private readonly Counter<long> _transferSent;
    private readonly Counter<long> _transferReceived;
    private readonly Counter<long> _chunkVerificationFailed;

    /// <summary>Creates the instruments on <paramref name="meterFactory"/>'s <see cref="MeshInstrumentNames.MeterName"/> meter.</summary>
    public MeshMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        Meter = meterFactory.Create(MeshInstrumentNames.MeterName);
        _searchStarted = Meter.CreateCounter<long>(MeshInstrumentNames.SearchStarted, "{search}", "Searches started at this peer as the origin.");
        _queryReceived = Meter.CreateCounter<long>(MeshInstrumentNames.QueryReceived, "{query}", "Search queries received, duplicates included.");
        _queryForwarded = Meter.CreateCounter<long>(MeshInstrumentNames.QueryForwarded, "{query}", "Search queries forwarded to neighbours.");
        _queryDuplicates = Meter.CreateCounter<long>(MeshInstrumentNames.QueryDuplicates, "{query}", "Search queries dropped as already seen.");
        _searchHits = Meter.CreateCounter<long>(MeshInstrumentNames.SearchHits, "{hit}", "Hits found in this peer's share.");
        _searchDuration = Meter.CreateHistogram<double>(MeshInstrumentNames.SearchDuration, "s", "Duration of searches at their origin, to the last event.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        _queryHops = Meter.CreateHistogram<int>(MeshInstrumentNames.QueryHops, "{hop}", "Hop count at which queries arrived.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16] });
        _transferSent = Meter.CreateCounter<long>(MeshInstrumentNames.TransferSent, "By", "File bytes served to other peers.");
        _transferReceived = Meter.CreateCounter<long>(MeshInstrumentNames.TransferReceived, "By", "File bytes received (downloads and uploads).");
        _chunkVerificationFailed = Meter.CreateCounter<long>(MeshInstrumentNames.ChunkVerificationFailed, "{chunk}", "Downloaded chunks that failed SHA-256 verification.");
    }

    /// <summary>This host's <see cref="MeshInstrumentNames.MeterName"/> meter (also for observable gauges).</summary>
    public Meter Meter { get; }

    /// <summary>A query arrived at hop <paramref name="hops"/> (duplicates too).</summary>
    public void QueryReceived(uint hops)
    {
        _queryReceived.Add(1);
        _queryHops.Record((int)Math.Min(hops, int.MaxValue));
    }

    /// <summary>A query was dropped as already seen.</summary>
    public void QueryDuplicate() => _queryDuplicates.Add(1);

    /// <summary>A search started here (hops 0).</summary>
    public void SearchStarted() => _searchStarted.Add(1);

    /// <summary>A search started here completed after <paramref name="elapsed"/>.</summary>
    public void SearchCompleted(TimeSpan elapsed) => _searchDuration.Record(elapsed.TotalSeconds);

    /// <summary>A query was forwarded to one neighbour.</summary>
    public void QueryForwarded() => _queryForwarded.Add(1);

    /// <summary><paramref name="count"/> hits were found in this peer's share.</summary>
    public void Hits(long count)
    {
        if (count > 0)
        {
            _searchHits.Add(count);
        }
    }

    /// <summary><paramref name="bytes"/> file bytes were served.</summary>
    public void BytesSent(long bytes) => _transferSent.Add(bytes);

    /// <summary><paramref name="bytes"/> file bytes were received.</summary>
    public void BytesReceived(long bytes) => _transferReceived.Add(bytes);

    /// <summary>A downloaded chunk failed verification.</summary>
    public void ChunkVerificationFailed() => _chunkVerificationFailed.Add(1);
}
