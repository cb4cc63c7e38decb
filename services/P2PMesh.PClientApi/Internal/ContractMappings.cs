using P2PMesh.Core.Transfers.Download;
using P2PMesh.PClientApi.Contracts;
using P2PMesh.V1;

namespace P2PMesh.PClientApi.Internal;

/// <summary>
/// From the p2pmesh.v1 wire messages and the download engine's snapshots to the REST DTOs
/// (P2PMesh.PClientApi.Contracts, which references neither).
/// </summary>
internal static class ContractMappings
{
    /// <summary>A flood's forward; the outcome lowercase, an empty error as null.</summary>
    public static EdgeDto ToEdgeDto(this Edge edge) => new(
        edge.From, edge.To, (int)edge.Hops, edge.Outcome.ToString().ToLowerInvariant(), (int)edge.Hits, (int)edge.ElapsedMs,
        string.IsNullOrEmpty(edge.Error) ? null : edge.Error);

    /// <summary>A search's statistics; <c>answered_by</c> as a <see cref="SearchModes"/> value (unset = flood), an empty fallback reason as null.</summary>
    public static FloodStatsDto ToFloodStatsDto(this FloodStats stats) => new(
        (int)stats.PeersReached, (int)stats.Messages, (int)stats.Duplicates, (int)stats.MaxHops, (int)stats.Errors, (int)stats.DeadlineExceeded, (int)stats.Hits,
        stats.AnsweredBy switch
        {
            SearchRequest.Types.Via.Directory => SearchModes.Directory,
            SearchRequest.Types.Via.Mom => SearchModes.Mom,
            _ => SearchModes.Flood,
        },
        string.IsNullOrEmpty(stats.FallbackReason) ? null : stats.FallbackReason);

    /// <summary>A <see cref="SearchModes"/> value as <c>SearchRequest.via</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not one of <see cref="SearchModes.All"/>.</exception>
    public static SearchRequest.Types.Via ToVia(string mode) => mode switch
    {
        SearchModes.Flood => SearchRequest.Types.Via.Flood,
        SearchModes.Directory => SearchRequest.Types.Via.Directory,
        SearchModes.Auto => SearchRequest.Types.Via.Auto,
        SearchModes.Mom => SearchRequest.Types.Via.Mom,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, $"via must be one of {string.Join(", ", SearchModes.All)}"),
    };

    /// <summary>
    /// A download job; the rate rounded to whole bytes per second; <see cref="DownloadStatus.AlreadyShared"/> and the resumed
    /// and fetched counts are the engine's (<see cref="DownloadProgress"/>).
    /// </summary>
    public static DownloadStatus ToDownloadStatus(this DownloadProgress p) => new(
        p.Id, p.Sha256, p.State.ToDownloadStatesValue(), p.TotalBytes, p.BytesDone, Math.Round(p.RateBytesPerSecond), p.ChunksTotal, p.ChunksDone,
        p.FileName, p.Error, [.. p.Sources.Select(s => new DownloadSourceStatus(s.Address, s.ChunksServed, s.BytesServed, s.DroppedReason))],
        AlreadyShared: p.AlreadyShared, ChunksResumed: p.ChunksResumed, BytesFetched: p.BytesFetched);

    /// <summary>The engine's state as <see cref="DownloadStatus.State"/> writes it: its name lowercase, one of <see cref="DownloadStates"/>.</summary>
    public static string ToDownloadStatesValue(this DownloadState state) => state.ToString().ToLowerInvariant();
}
