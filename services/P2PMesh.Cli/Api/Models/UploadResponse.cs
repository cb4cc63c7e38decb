namespace P2PMesh.Cli.Api.Models;

/// <summary><c>POST /api/uploads</c> → 201: the PServer that stored the file, the file, and its chunk count.</summary>
internal sealed record UploadResponse(string Peer, SharedFile File, int Chunks);
