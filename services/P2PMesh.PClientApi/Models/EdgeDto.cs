using P2PMesh.V1;

namespace P2PMesh.PClientApi.Models;

/// <summary>One forward of a flood (protos/p2pmesh/v1/peer.proto, <c>Edge</c>); outcome is hits, duplicate, error or deadline.</summary>
public sealed record EdgeDto(string From, string To, int Hops, string Outcome, int Hits, int ElapsedMs, string? Error)
{
    /// <summary>From the wire message.</summary>
    public static EdgeDto FromEdge(Edge edge) => new(
        edge.From, edge.To, (int)edge.Hops, edge.Outcome.ToString().ToLowerInvariant(), (int)edge.Hits, (int)edge.ElapsedMs,
        string.IsNullOrEmpty(edge.Error) ? null : edge.Error);
}
