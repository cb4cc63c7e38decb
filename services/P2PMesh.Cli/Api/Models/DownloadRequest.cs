namespace P2PMesh.Cli.Api.Models;

/// <summary>
/// <c>POST /api/downloads</c>. Without <see cref="Sources"/> the API searches <c>sha256:&lt;hash&gt;</c> itself.
/// </summary>
/// <param name="Sha256">64 hex digits.</param>
/// <param name="Sources">PServer <c>host:port</c>s that hold the file, or null.</param>
/// <param name="Name">The name to store it under, or null for the API's choice.</param>
internal sealed record DownloadRequest(string Sha256, IReadOnlyList<string>? Sources, string? Name);
