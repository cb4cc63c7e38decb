using P2PMesh.V1;

namespace P2PMesh.PClientApi.Models;

/// <summary>A flood's statistics (protos/p2pmesh/v1/peer.proto, <c>FloodStats</c>).</summary>
public sealed record FloodStatsDto(int PeersReached, int Messages, int Duplicates, int MaxHops, int Errors, int DeadlineExceeded, int Hits)
{
    /// <summary>From the wire message.</summary>
    public static FloodStatsDto FromStats(FloodStats stats) => new(
        (int)stats.PeersReached, (int)stats.Messages, (int)stats.Duplicates, (int)stats.MaxHops, (int)stats.Errors, (int)stats.DeadlineExceeded, (int)stats.Hits);
}
