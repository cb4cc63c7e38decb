using System.Text;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Grpc.Core;
using P2PMesh.V1;

namespace P2PMesh.PServer.Tests.Mesh;

/// <summary>
/// Floods over real meshes of PServers on loopback, checked against the breadth-first prediction for
/// the same topology: every holder within TTL hops found exactly once, none beyond, and the message,
/// duplicate, reach and hop counts the theory gives.
/// </summary>
public sealed class FloodSearchTests
{
    internal const string FileName = "needle.bin";

    public static TheoryData<string, int, int> HandMadeCases => new()
    {
        // topology, origin, ttl — TTLs below, at and above the eccentricity.
        { "line", 0, 3 },
        { "line", 0, 9 },
        { "line", 5, 2 },
        { "ring", 0, 3 },
        { "ring", 4, 5 },
        { "star", 0, 1 },
        { "star", 3, 1 },
        { "star", 3, 2 },
        { "tree", 0, 2 },
        { "tree", 7, 3 },
        { "tree", 3, 6 },
    };

    [Theory]
    [MemberData(nameof(HandMadeCases))]
    public async Task Search_HandMadeTopology_MatchesBreadthFirstPrediction(string shape, int origin, int ttl)
    {
        var topology = shape switch
        {
            "line" => Topology.Line(10),
            "ring" => Topology.Ring(10),
            "star" => Topology.Star(10),
            _ => Topology.RandomTree(15, seed: 7),
        };
        await using var mesh = await TestMesh.StartAsync(topology.Count, _ => ["--Neighbours:MaxDegree=16"]);
        await mesh.ConnectAsync(topology);
        var holders = new HashSet<int>(Enumerable.Range(0, topology.Count).Where(i => i % 3 != 1));
        await SeedAsync(mesh, holders);

        var outcome = await mesh.SearchAsync(origin, "*.BIN", (uint)ttl, explain: true);

        AssertMatchesPrediction(mesh, topology, outcome, origin, ttl, holders);
    }

    [Theory]
    [InlineData(20, 4, 1)]
    [InlineData(50, 4, 2)]
    public async Task Search_RandomRegularGraph_FullReachCountsMatchTheory(int peers, int degree, int seed)
    {
        const int ttl = 10;
        var topology = Topology.RandomRegular(peers, degree, seed);
        // The largest TTL, far above the eccentricity (3-5): every peer is reached, and whichever way the
        // query first arrives it almost surely still has TTL left to forward.
        Assert.True(topology.Eccentricity(0) <= ttl - 4);
        await using var mesh = await TestMesh.StartAsync(topology.Count, _ => ["--Neighbours:MaxDegree=16"]);
        await mesh.ConnectAsync(topology);
        var holders = new HashSet<int>(Enumerable.Range(0, peers).Where(i => i % 5 == 2));
        await SeedAsync(mesh, holders);

        var outcome = await mesh.SearchAsync(0, FileName, (uint)ttl, explain: true);

        AssertMatchesPrediction(mesh, topology, outcome, 0, ttl, holders, uniquePaths: false);
        Assert.Equal(peers, (int)outcome.Stats.PeersReached);
    }

    [Fact]
    public async Task Search_BySha256_FindsEveryCopyAndOnlyThatContent()
    {
        var topology = Topology.Ring(6);
        await using var mesh = await TestMesh.StartAsync(topology.Count);
        await mesh.ConnectAsync(topology);
        var content = Encoding.UTF8.GetBytes("the one true needle");
        await mesh[2].AddFileAsync("a/first-name.txt", content);
        await mesh[4].AddFileAsync("other-name.txt", content);
        await mesh[5].AddFileAsync("different.txt", Encoding.UTF8.GetBytes("not it"));
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));

        var outcome = await mesh.SearchAsync(0, $"sha256:{sha}", 5);

        Assert.Equal(["p2:a/first-name.txt", "p4:other-name.txt"], outcome.Hits.Select(h => $"{h.Holder.Id}:{h.Name}").Order());
        Assert.All(outcome.Hits, h =>
        {
            Assert.Equal(sha, h.Sha256);
            Assert.Equal((ulong)content.Length, h.Size);
            Assert.Equal(1024u * 1024, h.ChunkSize);
            Assert.Equal($"127.0.0.1:{mesh[mesh.IndexOf(h.Holder.Id)].Address.Port}", h.Holder.Address);
        });
    }

    [Fact]
    public async Task Search_SameQueryIdTwice_SecondIsDuplicateWithNothingElse()
    {
        await using var mesh = await TestMesh.StartAsync(3);
        await mesh.ConnectAsync(Topology.Line(3));
        var queryId = Guid.NewGuid().ToByteArray();
        await mesh.SearchAsync(0, "*", 3, queryId: queryId);

        var again = await mesh.SearchAsync(0, "*", 3, queryId: queryId);

        var only = Assert.Single(again.Events);
        Assert.Equal("p0", only.Duplicate.PeerId);
    }

    [Fact]
    public async Task Search_DeadNeighbour_CountsErrorAndStillAnswers()
    {
        var topology = Topology.Ring(6);
        await using var mesh = await TestMesh.StartAsync(topology.Count);
        await mesh.ConnectAsync(topology);
        await SeedAsync(mesh, [1, 2, 3, 4, 5]);
        await mesh.KillAsync(1);

        var outcome = await mesh.SearchAsync(0, FileName, 5, explain: true);

        // The ring minus p1 is the line 0-5-4-3-2: all reached the other way round. Forwards:
        // 0→1 (dead), 0→5, 5→4, 4→3, 3→2, and 2→1 (dead; p2 still has ttl 1 left at hops 4).
        Assert.Equal(["p2", "p3", "p4", "p5"], outcome.Hits.Select(h => h.Holder.Id).Order());
        Assert.Equal(5u, outcome.Stats.PeersReached);
        Assert.Equal(6u, outcome.Stats.Messages);
        Assert.Equal(2u, outcome.Stats.Errors);
        Assert.Equal(0u, outcome.Stats.Duplicates);
        var failed = outcome.Edges.Where(e => e.Outcome == Edge.Types.Outcome.Error).ToList();
        Assert.Equal([("p0", "p1"), ("p2", "p1")], failed.Select(e => (e.From, e.To)).Order());
        Assert.All(failed, e => Assert.StartsWith("Unavailable", e.Error));
    }

    [Fact]
    public async Task Search_NeighbourLeftGracefully_NoLongerForwardedTo()
    {
        var topology = Topology.Ring(6);
        await using var mesh = await TestMesh.StartAsync(topology.Count);
        await mesh.ConnectAsync(topology);
        await mesh.StopAsync(1);

        // Leave told p0 and p2 at once: they dropped p1, so the flood sends nothing its way.
        Assert.DoesNotContain(mesh[0].Neighbours.Snapshot(), n => n.Id == "p1");
        Assert.DoesNotContain(mesh[2].Neighbours.Snapshot(), n => n.Id == "p1");
        var outcome = await mesh.SearchAsync(0, "*", 5);
        Assert.Equal((0u, 4u, 5u), (outcome.Stats.Errors, outcome.Stats.Messages, outcome.Stats.PeersReached));
    }

    [Theory]
    [InlineData("", 7u, 16, "pattern")]
    [InlineData("*.iso", 0u, 16, "ttl")]
    [InlineData("*.iso", 1_000_000u, 16, "ttl")]
    [InlineData("*.iso", 11u, 16, "ttl")]
    [InlineData("*.iso", 7u, 15, "query_id")]
    [InlineData("*.iso", 7u, 0, "query_id")]
    [InlineData("sha256:xyz", 7u, 16, "pattern")]
    public async Task Search_BadRequest_InvalidArgument(string pattern, uint ttl, int queryIdLength, string field)
    {
        await using var host = await PServerHost.StartAsync();
        var request = new SearchRequest { QueryId = ByteString.CopyFrom(new byte[queryIdLength]), Pattern = pattern, Ttl = ttl };

        var ex = await Assert.ThrowsAsync<RpcException>(() => SearchOutcome.ReadAsync(host.Client.Search(request)));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.StartsWith(field, ex.Status.Detail);
    }

    [Fact]
    public async Task Search_ForwardedWithoutSender_InvalidArgument()
    {
        await using var host = await PServerHost.StartAsync();
        var request = new SearchRequest { QueryId = ByteString.CopyFrom(new byte[16]), Pattern = "*", Ttl = 2, Hops = 1 };
        request.Path.Add("someone");
        var ex = await Assert.ThrowsAsync<RpcException>(() => SearchOutcome.ReadAsync(host.Client.Search(request)));
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
    }

    /// <summary>Middleware that holds every incoming Search for <paramref name="delay"/> (or until the caller gives up).</summary>
    internal static Action<WebApplication> DelaySearches(TimeSpan delay) => app => app.Use(async (HttpContext context, RequestDelegate next) =>
    {
        if (context.Request.Path.Value!.EndsWith("/Search", StringComparison.Ordinal))
        {
            await Task.Delay(delay, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        await next(context);
    });

    internal static async Task SeedAsync(TestMesh mesh, IEnumerable<int> holders)
    {
        await Task.WhenAll(holders.Select(i => mesh[i].AddFileAsync(FileName, Encoding.UTF8.GetBytes($"content of p{i}"))));
    }

    // uniquePaths: whether the first arrival at every peer is along a shortest path (lines, stars, trees,
    // and rings within half their length). In other graphs forwards race, so a peer may first be reached
    // over a longer path: the hop maximum is then bounded by the theory, not equal to it.
    private static void AssertMatchesPrediction(TestMesh mesh, Topology topology, SearchOutcome outcome, int origin, int ttl, ISet<int> holders, bool uniquePaths = true)
    {
        var expected = topology.Predict(origin, ttl);
        var expectedHolders = holders.Where(expected.Reached.Contains).Select(i => $"p{i}").Order().ToList();

        // Every holder within ttl hops exactly once, none beyond.
        Assert.Equal(expectedHolders, outcome.Hits.Select(h => h.Holder.Id).Order().ToList());
        foreach (var hit in outcome.Hits)
        {
            var holder = mesh.IndexOf(hit.Holder.Id);
            Assert.Equal($"p{origin}", hit.Path[0]);
            Assert.Equal(hit.Holder.Id, hit.Path[^1]);
            Assert.Equal((uint)(hit.Path.Count - 1), hit.Hops);
            Assert.True(hit.Hops >= expected.Distances[holder] && hit.Hops <= ttl, $"{hit.Holder.Id} at hops {hit.Hops}");
            // Consecutive peers on the path are neighbours.
            for (var i = 1; i < hit.Path.Count; i++)
            {
                Assert.Contains(mesh.IndexOf(hit.Path[i]), topology.Neighbours(mesh.IndexOf(hit.Path[i - 1])));
            }
        }

        var stats = outcome.Stats;
        Assert.Equal((uint)expected.Reached.Count, stats.PeersReached);

        // The realised flood tree: each reached peer's first arrival (edges with outcome HITS) and its hops.
        var treeEdges = outcome.Edges.Where(e => e.Outcome == Edge.Types.Outcome.Hits).ToList();
        var firstHops = treeEdges.ToDictionary(e => mesh.IndexOf(e.To), e => (int)e.Hops);
        firstHops[origin] = 0;
        Assert.Equal(expected.Reached.Order(), firstHops.Keys.Order());

        // The rule, peer by peer: a peer forwards once, on first arrival, if it still has TTL left — the
        // origin to all its neighbours, every other peer to all but the one it heard from. Every forward
        // that is not a first arrival is a duplicate.
        var messages = firstHops.Where(p => p.Value < ttl)
            .Sum(p => p.Key == origin ? topology.Neighbours(p.Key).Count : topology.Neighbours(p.Key).Count - 1);
        Assert.Equal((uint)messages, stats.Messages);
        Assert.Equal((uint)(messages - (firstHops.Count - 1)), stats.Duplicates);

        // With shortest-path first arrivals (always so on unique-path topologies; in other graphs whenever
        // every peer that BFS says forwards did have TTL left), that is exactly the breadth-first prediction.
        if (uniquePaths || expected.Reached.All(v => expected.Distances[v] >= ttl || firstHops[v] < ttl))
        {
            Assert.Equal((uint)expected.Messages, stats.Messages);
            Assert.Equal((uint)expected.Duplicates, stats.Duplicates);
        }
        if (uniquePaths)
        {
            Assert.Equal((uint)expected.MaxHops, stats.MaxHops);
            Assert.All(firstHops, p => Assert.Equal(expected.Distances[p.Key], p.Value));
        }
        else
        {
            Assert.InRange(stats.MaxHops, (uint)expected.MaxHops, (uint)ttl);
        }
        Assert.Equal((uint)expectedHolders.Count, stats.Hits);
        Assert.Equal(0u, stats.Errors);
        Assert.Equal(0u, stats.DeadlineExceeded);

        // Explain: one edge per message; first arrivals form a tree over the reached peers.
        Assert.Equal((int)stats.Messages, outcome.Edges.Count);
        Assert.Equal((int)stats.Duplicates, outcome.Edges.Count(e => e.Outcome == Edge.Types.Outcome.Duplicate));
        Assert.Equal(expected.Reached.Count - 1, treeEdges.Count);
        Assert.Equal(expected.Reached.Where(v => v != origin).Select(v => $"p{v}").Order(), treeEdges.Select(e => e.To).Order());
        Assert.Equal(expectedHolders.Count, (int)treeEdges.Where(e => e.From == $"p{origin}").Sum(e => e.Hits) + (holders.Contains(origin) ? 1 : 0));
    }
}
