namespace P2PMesh.PClientApi.Models;

/// <summary>A distinct file (by content) found by a search.</summary>
/// <param name="Sha256">SHA-256, 64 lowercase hex digits.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="ChunkSize">Chunk size in bytes.</param>
/// <param name="Names">The names it goes by at its holders.</param>
/// <param name="Sources">The holders, nearest first.</param>
public sealed record SearchFile(string Sha256, long Size, int ChunkSize, IReadOnlyList<string> Names, IReadOnlyList<SearchSource> Sources);
