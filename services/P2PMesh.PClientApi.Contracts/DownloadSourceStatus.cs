namespace P2PMesh.PClientApi.Contracts;

/// <summary>One source of a download.</summary>
/// <remarks>An element of <see cref="DownloadStatus.Sources"/> (README.md, REST API: per-source counts and drop reasons).</remarks>
/// <param name="Address">The PServer, <c>host:port</c>.</param>
/// <param name="Chunks">Chunks it served that verified.</param>
/// <param name="Bytes">Bytes of those chunks.</param>
/// <param name="Dropped">Why it was dropped (failure, bad chunk, dishonest manifest); null while in use.</param>
public sealed record DownloadSourceStatus(string Address, int Chunks, long Bytes, string? Dropped);
