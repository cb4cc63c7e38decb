namespace P2PMesh.PClientApi.Contracts;

/// <summary>This peer and its neighbours, each pinged.</summary>
/// <remarks>The answer of <c>GET /api/peers</c> (README.md, REST API).</remarks>
/// <param name="Self">The peer this API fronts (not pinged: its <c>healthy</c> is null).</param>
/// <param name="Neighbours">Its neighbours, each pinged once for this answer.</param>
public sealed record PeersResponse(PeerStatus Self, IReadOnlyList<PeerStatus> Neighbours);
