namespace P2PMesh.Cli.Api.Models;

/// <summary>A distinct file (by SHA-256) found by a search, with every peer that holds it.</summary>
internal sealed record SearchFile(string Sha256, long Size, int ChunkSize, IReadOnlyList<string> Names, IReadOnlyList<SearchSource> Sources);
