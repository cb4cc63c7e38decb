namespace P2PMesh.Cli.Api.Models;

/// <summary><c>GET /api/search</c>: hits grouped by content, the flood's statistics and, with explain, its edges.</summary>
internal sealed record SearchResponse(
    string QueryId,
    string Pattern,
    int Ttl,
    IReadOnlyList<SearchFile> Files,
    FloodStats? Stats,
    IReadOnlyList<FloodEdge>? Edges,
    long ElapsedMs);
