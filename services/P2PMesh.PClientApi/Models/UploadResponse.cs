namespace P2PMesh.PClientApi.Models;

/// <summary>Where an upload was stored (<c>POST /api/uploads</c>).</summary>
/// <param name="Peer">The PServer that stored it, <c>host:port</c>.</param>
/// <param name="File">The stored file.</param>
/// <param name="Chunks">Its chunk count.</param>
public sealed record UploadResponse(string Peer, SharedFileDto File, int Chunks);
