namespace P2PMesh.PClientApi.Contracts;

/// <summary>The answer of <c>GET /api/search</c>: hits grouped by content, the search's statistics, and with explain a flood's edges.</summary>
/// <remarks>README.md, REST API and How a search floods; docs/architecture.md, Search modes.</remarks>
/// <param name="QueryId">The flood's query id, 32 lowercase hex digits: the value of the <c>p2pmesh.query_id</c> attribute on the flood's spans and the id in the PServers' logs.</param>
/// <param name="Pattern">The pattern searched.</param>
/// <param name="Ttl">The TTL the flood started with.</param>
/// <param name="Files">One entry per distinct SHA-256, with every peer that holds it.</param>
/// <param name="Stats">The search's statistics as the origin peer reported them, with the path that answered (null if the search ended without them).</param>
/// <param name="Edges">Every forward of the flood (only with <c>explain=true</c>; empty when the directory or the bus answered).</param>
/// <param name="ElapsedMs">Time from sending the search to the end of the stream, in milliseconds.</param>
/// <param name="Via">The mode asked for, one of <see cref="SearchModes.All"/> (<see cref="FloodStatsDto.AnsweredBy"/> says which path answered).</param>
public sealed record SearchResponse(
    string QueryId,
    string Pattern,
    int Ttl,
    IReadOnlyList<SearchFile> Files,
    FloodStatsDto? Stats,
    IReadOnlyList<EdgeDto>? Edges,
    long ElapsedMs,
    string Via = SearchModes.Default);
