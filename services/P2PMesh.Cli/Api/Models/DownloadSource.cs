namespace P2PMesh.Cli.Api.Models;

/// <summary>One source of a download: what it delivered, and why it was dropped if it was.</summary>
internal sealed record DownloadSource(string Address, int Chunks, long Bytes, string? Dropped);
