namespace P2PMesh.PClientApi.Contracts;

/// <summary>One forward of a flood (protos/p2pmesh/v1/peer.proto, <c>Edge</c>); outcome is hits, duplicate, error or deadline.</summary>
/// <remarks>An element of <see cref="SearchResponse.Edges"/>, only with <c>explain=true</c> (README.md, How a search floods).</remarks>
/// <param name="From">The forwarding peer's id.</param>
/// <param name="To">The receiving peer's id.</param>
/// <param name="Hops">Hops of the receiving side (the sender's hops + 1).</param>
/// <param name="Outcome">hits, duplicate, error or deadline: the proto's <c>Edge.Outcome</c>, lowercase.</param>
/// <param name="Hits">Hits that came back over this edge (from the neighbour and everything beyond it).</param>
/// <param name="ElapsedMs">Milliseconds from sending the request to the end of the neighbour's stream.</param>
/// <param name="Error">For an error outcome, the gRPC status and message; null otherwise.</param>
public sealed record EdgeDto(string From, string To, int Hops, string Outcome, int Hits, int ElapsedMs, string? Error);
