namespace P2PMesh.Cli.Api.Models;

/// <summary>A peer: id, PServer <c>host:port</c>, and whether it answered a ping (null for the peer itself).</summary>
internal sealed record PeerStatus(string Id, string Address, bool? Healthy, double? RoundTripMs);
