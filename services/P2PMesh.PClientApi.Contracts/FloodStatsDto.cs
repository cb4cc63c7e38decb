namespace P2PMesh.PClientApi.Contracts;

/// <summary>A search's statistics (protos/p2pmesh/v1/peer.proto, <c>FloodStats</c>): which path answered and what it cost.</summary>
/// <remarks><see cref="SearchResponse.Stats"/>: as the origin peer reported them (README.md, How a search floods;
/// docs/architecture.md, Search modes). For an answer from the directory or the bus, the flood-only counts
/// (duplicates, max hops, errors, deadline) are 0.</remarks>
/// <param name="PeersReached">Peers that processed the query (not counting duplicate answers); for the directory the distinct
/// holders found, for mom the peers that answered.</param>
/// <param name="Messages">The cost: for a flood, search requests sent between peers (forwards), duplicates and failures
/// included; 1 for the directory; for mom, 1 published request plus the replies; for a flood after the directory, 1 plus
/// the flood's (0 plus, when no directory is configured).</param>
/// <param name="Duplicates">Forwards answered with "duplicate".</param>
/// <param name="MaxHops">The largest hop count at which a peer processed the query.</param>
/// <param name="Errors">Forwards that failed (unreachable neighbour, error status).</param>
/// <param name="DeadlineExceeded">Forwards cut off by the deadline.</param>
/// <param name="Hits">Hits found.</param>
/// <param name="AnsweredBy">Which path answered: <see cref="SearchModes.Flood"/>, <see cref="SearchModes.Directory"/> or
/// <see cref="SearchModes.Mom"/>.</param>
/// <param name="FallbackReason">For <c>via=auto</c> answered by a flood: why the directory did not answer ("no directory
/// configured", "directory unreachable: …", "no hits in the directory"); null otherwise.</param>
public sealed record FloodStatsDto(
    int PeersReached,
    int Messages,
    int Duplicates,
    int MaxHops,
    int Errors,
    int DeadlineExceeded,
    int Hits,
    string AnsweredBy = SearchModes.Flood,
    string? FallbackReason = null);
