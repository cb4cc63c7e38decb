namespace P2PMesh.PClientApi.Contracts;

/// <summary>A distinct file (by content) found by a search.</summary>
/// <remarks>An element of <see cref="SearchResponse.Files"/> (README.md, REST API: hits grouped by SHA-256 with all sources).</remarks>
/// <param name="Sha256">SHA-256, 64 lowercase hex digits.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="ChunkSize">Chunk size in bytes.</param>
/// <param name="Names">The names it goes by at its holders.</param>
/// <param name="Sources">The holders, nearest first.</param>
public sealed record SearchFile(string Sha256, long Size, int ChunkSize, IReadOnlyList<string> Names, IReadOnlyList<SearchSource> Sources);
