using System.Text;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using P2PMesh.Core.Bus;
using P2PMesh.Core.Search;
using P2PMesh.PServer.Tests.Mesh;
using P2PMesh.V1;
using Via = P2PMesh.V1.SearchRequest.Types.Via;

namespace P2PMesh.PServer.Tests.Search;

/// <summary>
/// <c>SearchRequest.via</c> at the origin (docs/architecture.md, Search modes), on real PServers: DIRECTORY through a
/// fake directory on a real port (one Query, its hits, 1 message), AUTO falling back to the flood when the directory has
/// no hits, is down or is not configured, MOM through a fake <see cref="IMomSearch"/> in DI, and forwards that carry a via.
/// </summary>
public sealed class SearchModeTests
{
    private const string Needle = "needle.bin";
    private static readonly string Sha = new('a', 64);

    [Fact]
    public async Task Search_Directory_StreamsItsHitsWithOneMessageAndNoEdges()
    {
        // Arrange
        await using var directory = await FakeDirectoryHost.StartAsync(
            FakeDirectoryHost.HitOf("h1", "127.0.0.1:1", Needle, Sha),
            FakeDirectoryHost.HitOf("h2", "127.0.0.1:2", Needle, Sha),
            FakeDirectoryHost.HitOf("h2", "127.0.0.1:2", "other/needle.bin", Sha));
        await using var origin = await PServerHost.StartAsync($"--Directory:Address={directory.Address}");

        // Act
        var outcome = await SearchAsync(origin, "*.bin", Via.Directory, explain: true);

        // Assert
        Assert.Equal(["*.bin"], directory.Queries);
        Assert.Equal(3, outcome.Hits.Count);
        Assert.All(outcome.Hits, h => Assert.Equal([h.Holder.Id], h.Path));
        Assert.All(outcome.Hits, h => Assert.Equal(0u, h.Hops));
        Assert.Empty(outcome.Edges);
        var stats = outcome.Stats;
        Assert.Equal(Via.Directory, stats.AnsweredBy);
        Assert.Equal(1u, stats.Messages);
        Assert.Equal(3u, stats.Hits);
        Assert.Equal(2u, stats.PeersReached);
        Assert.Equal(0u, stats.MaxHops);
        Assert.Empty(stats.FallbackReason);
    }

    [Fact]
    public async Task Search_DirectoryDefaultsToTheBootstrapAddress()
    {
        await using var directory = await FakeDirectoryHost.StartAsync(FakeDirectoryHost.HitOf("h1", "127.0.0.1:1", Needle, Sha));
        await using var origin = await PServerHost.StartAsync($"--Neighbours:Bootstrap={directory.Address}", "--Neighbours:AutoDiscover=false");

        var outcome = await SearchAsync(origin, Needle, Via.Directory);

        Assert.Equal([Needle], directory.Queries);
        Assert.Equal("h1", Assert.Single(outcome.Hits).Holder.Id);
    }

    [Fact]
    public async Task Search_DirectoryNotConfigured_FailedPreconditionNamingTheSetting()
    {
        await using var origin = await PServerHost.StartAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => SearchAsync(origin, Needle, Via.Directory));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("Directory:Address", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_DirectoryDown_Unavailable()
    {
        await using var origin = await PServerHost.StartAsync($"--Directory:Address={FakeDirectoryHost.ClosedAddress()}");

        var error = await Assert.ThrowsAsync<RpcException>(() => SearchAsync(origin, Needle, Via.Directory));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains("directory", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_AutoDirectoryHasHits_AnsweredByTheDirectoryWithoutAFlood()
    {
        await using var directory = await FakeDirectoryHost.StartAsync(FakeDirectoryHost.HitOf("h1", "127.0.0.1:1", Needle, Sha));
        await using var mesh = await TwoPeersAsync(_ => [$"--Directory:Address={directory.Address}"]);

        var outcome = await SearchAsync(mesh[0], Needle, Via.Auto, explain: true);

        Assert.Equal("h1", Assert.Single(outcome.Hits).Holder.Id);
        Assert.Empty(outcome.Edges);
        Assert.Equal(Via.Directory, outcome.Stats.AnsweredBy);
        Assert.Equal(1u, outcome.Stats.Messages);
        Assert.Empty(outcome.Stats.FallbackReason);
    }

    [Fact]
    public async Task Search_AutoDirectoryHasNoHits_FloodsAndCountsTheQuery()
    {
        await using var directory = await FakeDirectoryHost.StartAsync();
        await using var mesh = await TwoPeersAsync(_ => [$"--Directory:Address={directory.Address}"]);

        var outcome = await SearchAsync(mesh[0], Needle, Via.Auto, explain: true);

        AssertFlooded(outcome, expectedMessages: 1 + 1);
        Assert.Equal(OriginSearch.NoHitsReason, outcome.Stats.FallbackReason);
        Assert.Single(directory.Queries);
    }

    [Fact]
    public async Task Search_AutoDirectoryDown_FloodsWithTheReason()
    {
        var closed = FakeDirectoryHost.ClosedAddress();
        await using var mesh = await TwoPeersAsync(_ => [$"--Directory:Address={closed}"]);

        var outcome = await SearchAsync(mesh[0], Needle, Via.Auto, explain: true);

        AssertFlooded(outcome, expectedMessages: 1 + 1);
        Assert.StartsWith(OriginSearch.UnreachableReasonPrefix, outcome.Stats.FallbackReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_AutoNoDirectory_FloodsWithoutTheQuery()
    {
        await using var mesh = await TwoPeersAsync(_ => []);

        var outcome = await SearchAsync(mesh[0], Needle, Via.Auto, explain: true);

        AssertFlooded(outcome, expectedMessages: 0 + 1);
        Assert.Equal(OriginSearch.NoDirectoryReason, outcome.Stats.FallbackReason);
    }

    [Fact]
    public async Task Search_MomRegistered_ItsHitsAndOnePlusRepliesMessages()
    {
        var mom = new FakeMomSearch(new MomSearchResult([FakeDirectoryHost.HitOf("m1", "127.0.0.1:1", Needle, Sha), FakeDirectoryHost.HitOf("m2", "127.0.0.1:2", Needle, Sha)], Replies: 3));
        await using var origin = await PServerHost.StartAsync([], configureBuilder: b => b.Services.AddSingleton<IMomSearch>(mom));

        var outcome = await SearchAsync(origin, "*.BIN", Via.Mom, explain: true);

        Assert.Equal(["*.BIN"], mom.Patterns);
        Assert.Equal(["m1", "m2"], outcome.Hits.Select(h => h.Holder.Id).Order());
        Assert.All(outcome.Hits, h => Assert.Equal([h.Holder.Id], h.Path));
        Assert.Empty(outcome.Edges);
        Assert.Equal(Via.Mom, outcome.Stats.AnsweredBy);
        Assert.Equal(4u, outcome.Stats.Messages);
        Assert.Equal(3u, outcome.Stats.PeersReached);
        Assert.Equal(2u, outcome.Stats.Hits);
    }

    [Fact]
    public async Task Search_MomNotRegistered_FailedPreconditionNamingMomUri()
    {
        await using var origin = await PServerHost.StartAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => SearchAsync(origin, Needle, Via.Mom));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Equal("mom search needs a message broker: set Mom:Uri", error.Status.Detail);
    }

    [Theory]
    [InlineData(Via.Directory)]
    [InlineData(Via.Auto)]
    [InlineData(Via.Mom)]
    public async Task Search_ForwardWithAVia_InvalidArgument(Via via)
    {
        await using var peer = await PServerHost.StartAsync();
        var request = new SearchRequest
        {
            QueryId = ByteString.CopyFrom(Guid.NewGuid().ToByteArray()),
            Pattern = Needle,
            Ttl = 1,
            Hops = 1,
            Sender = new PeerInfo { Id = "x", Address = "127.0.0.1:1" },
            Path = { "x" },
            Via = via,
        };

        using var call = peer.Client.Search(request, deadline: DateTime.UtcNow.AddSeconds(30));
        var error = await Assert.ThrowsAsync<RpcException>(() => SearchOutcome.ReadAsync(call));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("via", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_UnknownVia_InvalidArgument()
    {
        await using var peer = await PServerHost.StartAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => SearchAsync(peer, Needle, (Via)42));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    /// <summary>p0 — p1, p1 holding <see cref="Needle"/>.</summary>
    private static async Task<TestMesh> TwoPeersAsync(Func<int, string[]> settings)
    {
        var mesh = await TestMesh.StartAsync(2, settings);
        try
        {
            await mesh.ConnectAsync(Topology.Line(2));
            await mesh[1].AddFileAsync(Needle, Encoding.UTF8.GetBytes("content of p1"));
            return mesh;
        }
        catch
        {
            await mesh.DisposeAsync();
            throw;
        }
    }

    private static void AssertFlooded(SearchOutcome outcome, uint expectedMessages)
    {
        var hit = Assert.Single(outcome.Hits);
        Assert.Equal("p1", hit.Holder.Id);
        Assert.Equal(["p0", "p1"], hit.Path);
        Assert.Single(outcome.Edges);
        Assert.Equal(Via.Flood, outcome.Stats.AnsweredBy);
        Assert.Equal(expectedMessages, outcome.Stats.Messages);
        Assert.Equal(2u, outcome.Stats.PeersReached);
    }

    private static async Task<SearchOutcome> SearchAsync(PServerHost origin, string pattern, Via via, bool explain = false)
    {
        var request = new SearchRequest
        {
            QueryId = ByteString.CopyFrom(Guid.NewGuid().ToByteArray()),
            Pattern = pattern,
            Ttl = 3,
            Explain = explain,
            Via = via,
        };
        using var call = origin.Client.Search(request, deadline: DateTime.UtcNow.AddSeconds(30));
        return await SearchOutcome.ReadAsync(call);
    }

    /// <summary>An <see cref="IMomSearch"/> that answers every search with one result and records the patterns.</summary>
    private sealed class FakeMomSearch(MomSearchResult result) : IMomSearch
    {
        private readonly List<string> _patterns = [];

        public IReadOnlyList<string> Patterns
        {
            get
            {
                lock (_patterns)
                {
                    return [.. _patterns];
                }
            }
        }

        public Task<MomSearchResult> SearchAsync(ReadOnlyMemory<byte> queryId, string pattern, DateTime deadlineUtc, CancellationToken cancellationToken)
        {
            lock (_patterns)
            {
                _patterns.Add(pattern);
            }
            return Task.FromResult(result);
        }
    }
}
