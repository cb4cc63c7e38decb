namespace P2PMesh.Cli.Api.Models;

/// <summary>A flood's statistics as the origin peer reported them.</summary>
internal sealed record FloodStats(int PeersReached, int Messages, int Duplicates, int MaxHops, int Errors, int DeadlineExceeded, int Hits);
