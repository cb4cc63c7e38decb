using P2PMesh.PServer.Tests.Mesh;
using P2PMesh.V1;

namespace P2PMesh.FloodBench.Mesh;

/// <summary>
/// The flood tree one explained search actually took: every peer that processed the query and the hop
/// count at which it first got it (the origin at 0, every other peer at the <c>hops</c> of the forward
/// it processed, i.e. an edge with outcome <c>HITS</c>). Where forwards race, a peer can first be
/// reached over a path longer than its distance and then has less TTL left to forward with
/// (README.md, "How a search floods").
/// </summary>
internal sealed class RealisedTree
{
    private readonly Dictionary<int, int> _hops;

    private RealisedTree(int origin, Dictionary<int, int> hops)
    {
        Origin = origin;
        _hops = hops;
    }

    public int Origin { get; }

    /// <summary>Peers that processed the query, the origin included.</summary>
    public int Reached => _hops.Count;

    public int MaxHops => _hops.Values.Max();

    public static RealisedTree From(TestMesh mesh, int origin, IEnumerable<Edge> edges)
    {
        var hops = new Dictionary<int, int> { [origin] = 0 };
        foreach (var edge in edges.Where(e => e.Outcome == Edge.Types.Outcome.Hits))
        {
            hops[mesh.IndexOf(edge.To)] = (int)edge.Hops;
        }
        return new RealisedTree(origin, hops);
    }

    /// <summary>Peers first reached over a longer path than the shortest one.</summary>
    public int LateArrivals(FloodPrediction prediction) => _hops.Count(p => p.Value > prediction.Distances[p.Key]);

    /// <summary>
    /// The messages the flood rule gives along this tree: every peer that got the query with TTL left
    /// (hops &lt; ttl) forwards it to all its neighbours but the sender (the origin to all of them).
    /// </summary>
    public int Messages(Topology topology, int ttl) =>
        _hops.Where(p => p.Value < ttl).Sum(p => topology.Neighbours(p.Key).Count - (p.Key == Origin ? 0 : 1));

    /// <summary>Whether the origin's statistics are exactly what the rule gives along this tree.</summary>
    public bool Explains(FloodStats stats, Topology topology, int ttl)
    {
        var messages = Messages(topology, ttl);
        return stats.PeersReached == Reached
            && stats.Messages == messages
            && stats.Duplicates == messages - (Reached - 1)
            && stats.MaxHops == MaxHops
            && stats.Errors == 0
            && stats.DeadlineExceeded == 0;
    }
}
