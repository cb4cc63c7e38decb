namespace P2PMesh.PClientApi.Contracts;

/// <summary>Where an upload was stored (<c>POST /api/uploads</c>).</summary>
/// <remarks>README.md, REST API: the 201 answer, with <c>Location</c> <c>/api/files/{name}</c>.</remarks>
/// <param name="Peer">The PServer that stored it, <c>host:port</c>.</param>
/// <param name="File">The stored file.</param>
/// <param name="Chunks">Its chunk count.</param>
public sealed record UploadResponse(string Peer, SharedFileDto File, int Chunks);
