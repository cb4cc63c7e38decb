using System.Text;
using Google.Protobuf;
using Grpc.Core;
using P2PMesh.Core.Peers;
using P2PMesh.PServer.Tests.Transfers.Download;
using P2PMesh.Bootstrap.Tests;
using P2PMesh.V1;

namespace P2PMesh.PServer.Tests.Mesh;

/// <summary>
/// Floods cut short by their deadline: partial hits with statistics, never a failed call. They run on their own after
/// the parallel tests (TimingSensitiveCollection): the hop margins are fractions of a second, which a saturated
/// 2-core machine can eat (a full parallel run once had p2's statistics reach p0 after p0 had stopped waiting).
/// </summary>
[Collection(TimingSensitiveCollection.Name)]
public sealed class FloodDeadlineTests
{
    [Fact]
    public async Task Search_DeadlineShorterThanFlood_PartialResultsWithStatistics()
    {
        var topology = Topology.Line(6);
        // p3 stalls for 30 s: a 6 s search gets p0..p2 and the statistics, not an error, long before. A 1 s hop margin
        // (not the default 20 ms) leaves a second between each peer's stop-waiting time and its caller's,
        // enough for its statistics to travel back on a saturated 2-core machine (20 ms was not, in full CI runs).
        await using var mesh = await TestMesh.StartAsync(topology.Count,
            settings: _ => ["--Search:HopMargin=00:00:01"],
            configureApp: i => i == 3 ? FloodSearchTests.DelaySearches(TimeSpan.FromSeconds(30)) : null);
        await mesh.ConnectAsync(topology);
        await FloodSearchTests.SeedAsync(mesh, [0, 1, 2, 3, 4, 5]);

        var outcome = await mesh.SearchAsync(0, FloodSearchTests.FileName, 9, explain: true, timeout: TimeSpan.FromSeconds(6));

        Assert.Equal(["p0", "p1", "p2"], outcome.Hits.Select(h => h.Holder.Id).Order());
        Assert.Equal(1u, outcome.Stats.DeadlineExceeded);
        Assert.Equal(3u, outcome.Stats.PeersReached);
        Assert.Contains(outcome.Edges, e => e is { From: "p2", To: "p3", Outcome: Edge.Types.Outcome.Deadline });
        Assert.True(outcome.Elapsed < TimeSpan.FromSeconds(20), $"took {outcome.Elapsed}: the stall, not the deadline, ended the search");
    }

    [Fact]
    public async Task Search_NeighbourNeverAnswers_OwnHitsDeadlineEdgeAndStatsThenOk()
    {
        // Arrange: p0 holds the file; its only neighbour takes every Search and never answers. p0 forwards with its
        // deadline minus 1 s and stops waiting at its deadline minus 0.5 s: the stop-waiting timer cuts the neighbour off.
        await using var origin = await PServerHost.StartAsync("--Peer:Id=p0", "--Neighbours:AutoDiscover=false", "--Search:HopMargin=00:00:01");
        var hangs = new FakePeerBehavior(new Manifest(), []);
        await using var silent = await FakePeerHost.StartAsync(hangs);
        Assert.Equal(NeighbourAddResult.Added, origin.Neighbours.TryAdd(new PeerInfo { Id = "silent", Address = silent.PeerAddress }));
        await origin.AddFileAsync(FloodSearchTests.FileName, Encoding.UTF8.GetBytes("content of p0"));
        var request = new SearchRequest { QueryId = ByteString.CopyFrom(Guid.NewGuid().ToByteArray()), Pattern = FloodSearchTests.FileName, Ttl = 3, Explain = true };

        // Act
        using var call = origin.Client.Search(request, deadline: DateTime.UtcNow.AddSeconds(3));
        var outcome = await SearchOutcome.ReadAsync(call);

        // Assert: the caller's stream was not reset: it carries p0's hit, the cut-off edge and the statistics, and ends OK.
        Assert.Equal(StatusCode.OK, outcome.Status.StatusCode);
        Assert.Equal("p0", Assert.Single(outcome.Hits).Holder.Id);
        var edge = Assert.Single(outcome.Edges);
        Assert.Equal(("p0", "silent", Edge.Types.Outcome.Deadline, 0u), (edge.From, edge.To, edge.Outcome, edge.Hits));
        Assert.Equal(SearchEvent.EventOneofCase.Stats, outcome.Events[^1].EventCase);
        Assert.Equal((1u, 1u, 1u, 1u, 0u), (outcome.Stats.Hits, outcome.Stats.Messages, outcome.Stats.DeadlineExceeded, outcome.Stats.PeersReached, outcome.Stats.Errors));
        Assert.Equal(1, hangs.SearchCalls);
    }
}
