namespace P2PMesh.Cli.Api.Models;

/// <summary>A file in a peer's share (<c>GET /api/files</c>, and the stored file of an upload).</summary>
internal sealed record SharedFile(string Name, long Size, string Sha256, int ChunkSize);
