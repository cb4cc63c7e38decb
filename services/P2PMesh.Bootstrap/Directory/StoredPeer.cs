using P2PMesh.V1;

namespace P2PMesh.Bootstrap.Directory;

/// <summary>A logged-in peer as <see cref="DirectoryStore"/> keeps it: the peer, its session and its index entries.</summary>
/// <param name="Peer">The peer as it logged in (id, canonical address).</param>
/// <param name="Session">Its session token.</param>
/// <param name="Files">Its index entries (<c>SharedFile</c>, protos/p2pmesh/v1/peer.proto).</param>
public sealed record StoredPeer(PeerInfo Peer, string Session, List<SharedFile> Files);
