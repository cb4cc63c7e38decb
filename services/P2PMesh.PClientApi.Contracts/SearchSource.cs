namespace P2PMesh.PClientApi.Contracts;

/// <summary>A peer that holds a found file.</summary>
/// <remarks>An element of <see cref="SearchFile.Sources"/>; its <see cref="Address"/> is what <see cref="StartDownloadRequest.Sources"/> takes.</remarks>
/// <param name="PeerId">The holder's id.</param>
/// <param name="Address">The holder's PServer, <c>host:port</c> (what downloads use).</param>
/// <param name="Name">The file's name at this holder.</param>
/// <param name="Hops">Hops from the searching peer.</param>
/// <param name="Path">Peer ids from the searching peer to the holder.</param>
public sealed record SearchSource(string PeerId, string Address, string Name, int Hops, IReadOnlyList<string> Path);
