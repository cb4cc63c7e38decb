namespace P2PMesh.PClientApi.Models;

/// <summary>A peer as <c>GET /api/peers</c> reports it.</summary>
/// <param name="Id">Peer id.</param>
/// <param name="Address">PServer <c>host:port</c>.</param>
/// <param name="Healthy">Whether it answered a ping just now (null for this peer itself).</param>
/// <param name="RoundTripMs">Ping round trip in milliseconds, when it answered.</param>
public sealed record PeerStatus(string Id, string Address, bool? Healthy, double? RoundTripMs);
