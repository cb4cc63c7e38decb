namespace P2PMesh.Cli.Api.Models;

/// <summary><c>GET /api/peers</c>: the API's own peer and its neighbours, each pinged.</summary>
internal sealed record PeersResponse(PeerStatus Self, IReadOnlyList<PeerStatus> Neighbours);
