namespace P2PMesh.PServer.Tests.Mesh;

/// <summary>
/// An undirected overlay graph (peers 0..n-1) and what a TTL-limited flood with duplicate suppression
/// should do on it, by breadth-first search: the theory the mesh's numbers must match.
/// </summary>
public sealed class Topology
{
    private readonly List<int>[] _adjacency;

    private Topology(string name, int count)
    {
        Name = name;
        _adjacency = Enumerable.Range(0, count).Select(_ => new List<int>()).ToArray();
    }

    public string Name { get; }

    public int Count => _adjacency.Length;

    public IReadOnlyList<int> Neighbours(int peer) => _adjacency[peer];

    public IEnumerable<(int A, int B)> Edges =>
        Enumerable.Range(0, Count).SelectMany(a => _adjacency[a].Where(b => a < b).Select(b => (a, b)));

    public override string ToString() => Name;

    public static Topology Line(int n) => Build($"line({n})", n, t => Enumerable.Range(0, n - 1).ToList().ForEach(i => t.Connect(i, i + 1)));

    public static Topology Ring(int n) => Build($"ring({n})", n, t => Enumerable.Range(0, n).ToList().ForEach(i => t.Connect(i, (i + 1) % n)));

    public static Topology Star(int n) => Build($"star({n})", n, t => Enumerable.Range(1, n - 1).ToList().ForEach(i => t.Connect(0, i)));

    /// <summary>A uniformly random labelled tree (random attachment), so every pair has exactly one path.</summary>
    public static Topology RandomTree(int n, int seed)
    {
        var random = new Random(seed);
        return Build($"tree({n}, seed {seed})", n, t =>
        {
            for (var i = 1; i < n; i++)
            {
                t.Connect(i, random.Next(i));
            }
        });
    }

    /// <summary>A random connected simple d-regular graph (configuration model, retried until simple and connected).</summary>
    public static Topology RandomRegular(int n, int d, int seed)
    {
        if (n * d % 2 != 0 || d >= n)
        {
            throw new ArgumentException("n·d must be even and d < n");
        }
        var random = new Random(seed);
        for (var attempt = 0; attempt < 10_000; attempt++)
        {
            var stubs = Enumerable.Range(0, n).SelectMany(v => Enumerable.Repeat(v, d)).ToArray();
            random.Shuffle(stubs);
            var candidate = new Topology($"random {d}-regular({n}, seed {seed})", n);
            var ok = true;
            for (var i = 0; i < stubs.Length && ok; i += 2)
            {
                var (a, b) = (stubs[i], stubs[i + 1]);
                ok = a != b && !candidate._adjacency[a].Contains(b);
                if (ok)
                {
                    candidate.Connect(a, b);
                }
            }
            if (ok && candidate.Distances(0).All(x => x >= 0))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException("no simple connected regular graph found");
    }

    /// <summary>Hop distance from <paramref name="origin"/> to every peer (-1: unreachable).</summary>
    public int[] Distances(int origin)
    {
        var distance = Enumerable.Repeat(-1, Count).ToArray();
        var queue = new Queue<int>([origin]);
        distance[origin] = 0;
        while (queue.TryDequeue(out var v))
        {
            foreach (var w in _adjacency[v].Where(w => distance[w] < 0))
            {
                distance[w] = distance[v] + 1;
                queue.Enqueue(w);
            }
        }
        return distance;
    }

    public int Eccentricity(int origin) => Distances(origin).Max();

    /// <summary>
    /// What a flood from <paramref name="origin"/> with <paramref name="ttl"/> must do: peers within ttl
    /// hops are reached; those closer than ttl forward, the origin to all its neighbours and every other
    /// to all but the one it heard from; every message that is not a first arrival is a duplicate.
    /// </summary>
    public FloodPrediction Predict(int origin, int ttl)
    {
        var distance = Distances(origin);
        var reached = Enumerable.Range(0, Count).Where(v => distance[v] >= 0 && distance[v] <= ttl).ToHashSet();
        var messages = reached.Where(v => distance[v] < ttl)
            .Sum(v => v == origin ? _adjacency[v].Count : _adjacency[v].Count - 1);
        return new FloodPrediction(reached, messages, messages - (reached.Count - 1), reached.Max(v => distance[v]), distance);
    }

    private void Connect(int a, int b)
    {
        _adjacency[a].Add(b);
        _adjacency[b].Add(a);
    }

    private static Topology Build(string name, int n, Action<Topology> connect)
    {
        var t = new Topology(name, n);
        connect(t);
        return t;
    }
}
