namespace P2PMesh.Cli.Api.Models;

/// <summary>
/// One forward of a flood (with <c>explain=true</c>). <see cref="Hops"/> is the receiving side's;
/// <see cref="Outcome"/> is <c>hits</c>, <c>duplicate</c>, <c>error</c> or <c>deadline</c>.
/// </summary>
internal sealed record FloodEdge(string From, string To, int Hops, string Outcome, int Hits, int ElapsedMs, string? Error);
