namespace P2PMesh.PClientApi.Models;

/// <summary>A file in this peer's share (<c>GET /api/files</c>).</summary>
/// <param name="Name">Path relative to the share.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="Sha256">64 lowercase hex digits.</param>
/// <param name="ChunkSize">Chunk size in bytes.</param>
public sealed record SharedFileDto(string Name, long Size, string Sha256, int ChunkSize);
