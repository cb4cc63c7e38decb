namespace P2PMesh.PClientApi.Contracts;

/// <summary>The body of <c>POST /api/downloads</c>.</summary>
/// <remarks>README.md, REST API: <c>{sha256, sources?, name?}</c>; the answer is a <see cref="DownloadStatus"/> (202 and <c>Location</c>).</remarks>
/// <param name="Sha256">The file's SHA-256, 64 hex digits.</param>
/// <param name="Sources">PServers holding it (<c>host:port</c>); when empty the API finds them with a <c>sha256:</c> search, <c>via=auto</c>.</param>
/// <param name="Name">The name to store it under in this peer's share; default the holder's name.</param>
public sealed record StartDownloadRequest(string? Sha256, IReadOnlyList<string>? Sources, string? Name);
