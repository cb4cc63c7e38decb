namespace P2PMesh.PClientApi.Contracts;

/// <summary>A flood's statistics (protos/p2pmesh/v1/peer.proto, <c>FloodStats</c>).</summary>
/// <remarks><see cref="SearchResponse.Stats"/>: the whole flood's, as the origin peer reported them (README.md, How a search floods).</remarks>
/// <param name="PeersReached">Peers that processed the query (not counting duplicate answers).</param>
/// <param name="Messages">Search requests sent between peers (forwards), duplicates and failures included.</param>
/// <param name="Duplicates">Forwards answered with "duplicate".</param>
/// <param name="MaxHops">The largest hop count at which a peer processed the query.</param>
/// <param name="Errors">Forwards that failed (unreachable neighbour, error status).</param>
/// <param name="DeadlineExceeded">Forwards cut off by the deadline.</param>
/// <param name="Hits">Hits found in the whole flood.</param>
public sealed record FloodStatsDto(int PeersReached, int Messages, int Duplicates, int MaxHops, int Errors, int DeadlineExceeded, int Hits);
