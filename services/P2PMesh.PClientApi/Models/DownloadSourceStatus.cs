namespace P2PMesh.PClientApi.Models;

/// <summary>One source of a download.</summary>
/// <param name="Address">The PServer, <c>host:port</c>.</param>
/// <param name="Chunks">Chunks it served that verified.</param>
/// <param name="Bytes">Bytes of those chunks.</param>
/// <param name="Dropped">Why it was dropped (failure, bad chunk, dishonest manifest); null while in use.</param>
public sealed record DownloadSourceStatus(string Address, int Chunks, long Bytes, string? Dropped);
