using P2PMesh.PServer.Tests.Mesh;

namespace P2PMesh.FloodBench.Mesh;

/// <summary>
/// One mesh of the benchmark: a random d-regular topology with a fixed seed (N itself), the peers the
/// searches enter through, and the peers that hold the searched file (never an origin, at least one).
/// </summary>
internal sealed record MeshLayout(Topology Topology, int Seed, IReadOnlyList<int> Origins, IReadOnlySet<int> Holders)
{
    public int Peers => Topology.Count;

    /// <summary>The longest shortest path between any two peers.</summary>
    public int Diameter => Enumerable.Range(0, Peers).Max(Topology.Eccentricity);

    public static MeshLayout Create(int peers, int degree, int origins, double holderShare)
    {
        var seed = peers;
        var topology = Topology.RandomRegular(peers, degree, seed);
        var random = new Random(seed);
        var order = Enumerable.Range(0, peers).ToArray();
        random.Shuffle(order);
        var holders = Math.Clamp((int)Math.Round(peers * holderShare), 1, peers - origins);
        return new MeshLayout(topology, seed, order[..origins], order[origins..(origins + holders)].ToHashSet());
    }

    /// <summary>Holders the breadth-first prediction reaches: the hits a search must find.</summary>
    public int TheoryHits(FloodPrediction prediction) => Holders.Count(prediction.Reached.Contains);
}
