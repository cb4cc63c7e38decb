namespace P2PMesh.PClientApi.Models;

/// <summary>This peer and its neighbours, each pinged.</summary>
public sealed record PeersResponse(PeerStatus Self, IReadOnlyList<PeerStatus> Neighbours);
