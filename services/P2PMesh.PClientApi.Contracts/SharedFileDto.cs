namespace P2PMesh.PClientApi.Contracts;

/// <summary>A file in this peer's share (<c>GET /api/files</c>).</summary>
/// <remarks>README.md, REST API: the elements of <c>GET /api/files</c>, and <see cref="UploadResponse.File"/>.</remarks>
/// <param name="Name">Path relative to the share.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="Sha256">64 lowercase hex digits.</param>
/// <param name="ChunkSize">Chunk size in bytes.</param>
public sealed record SharedFileDto(string Name, long Size, string Sha256, int ChunkSize);
