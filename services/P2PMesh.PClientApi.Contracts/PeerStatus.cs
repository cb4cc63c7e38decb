namespace P2PMesh.PClientApi.Contracts;

/// <summary>A peer as <c>GET /api/peers</c> reports it.</summary>
/// <remarks>README.md, REST API: <see cref="PeersResponse.Self"/> or one of <see cref="PeersResponse.Neighbours"/>.</remarks>
/// <param name="Id">Peer id.</param>
/// <param name="Address">PServer <c>host:port</c>.</param>
/// <param name="Healthy">Whether it answered a ping just now (null for this peer itself).</param>
/// <param name="RoundTripMs">Ping round trip in milliseconds, when it answered.</param>
public sealed record PeerStatus(string Id, string Address, bool? Healthy, double? RoundTripMs);
