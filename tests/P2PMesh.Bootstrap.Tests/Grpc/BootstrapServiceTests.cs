using Google.Protobuf.WellKnownTypes;
using P2PMesh.V1;
using static P2PMesh.Bootstrap.Tests.BootstrapMethods;

namespace P2PMesh.Bootstrap.Tests.Grpc;

/// <summary><c>p2pmesh.v1.Bootstrap</c> over real HTTP/2: join sampling, heartbeat, leave, list, restart.</summary>
public sealed class BootstrapServiceTests
{
    [Fact]
    public async Task Join_FirstPeer_NoNeighboursAndHeartbeatInterval()
    {
        // Arrange
        await using var host = await BootstrapHost.StartAsync("--Bootstrap:HeartbeatInterval=00:00:07", "--Bootstrap:PeerExpiry=00:00:21");

        // Act
        var reply = await host.Channel.JoinAsync(Peer("p0"));

        // Assert
        Assert.Empty(reply.Neighbours);
        Assert.Equal(Duration.FromTimeSpan(TimeSpan.FromSeconds(7)), reply.HeartbeatInterval);
        Assert.Equal(["p0"], await host.Channel.ListPeerIdsAsync());
    }

    [Fact]
    public async Task Join_FewerPeersThanSampleSize_ReturnsAllOthersNeverTheJoiner()
    {
        await using var host = await BootstrapHost.StartAsync("--Bootstrap:SampleSize=8");
        await host.Channel.JoinAsync(Peer("p0", 7000));
        await host.Channel.JoinAsync(Peer("p1", 7001));

        var reply = await host.Channel.JoinAsync(Peer("p2", 7002));
        var again = await host.Channel.JoinAsync(Peer("p2", 7002));

        Assert.Equal(["p0", "p1"], reply.Neighbours.Select(p => p.Id).Order());
        Assert.Equal(["p0", "p1"], again.Neighbours.Select(p => p.Id).Order());
        Assert.Contains(reply.Neighbours, p => p.Id == "p1" && p.Address == "127.0.0.1:7001");
    }

    [Fact]
    public async Task Join_ManyPeers_SampleIsDistinctBoundedExcludesJoinerAndVaries()
    {
        // Arrange: 20 live peers, samples of 5.
        await using var host = await BootstrapHost.StartAsync("--Bootstrap:SampleSize=5");
        for (var i = 0; i < 20; i++)
        {
            await host.Channel.JoinAsync(Peer($"p{i}", 7000 + i));
        }
        var seen = new HashSet<string>();

        // Act: p0 joins again 20 times.
        for (var round = 0; round < 20; round++)
        {
            var ids = (await host.Channel.JoinAsync(Peer("p0", 7000))).Neighbours.Select(p => p.Id).ToList();

            // Assert
            Assert.Equal(5, ids.Count);
            Assert.Equal(5, ids.Distinct().Count());
            Assert.DoesNotContain("p0", ids);
            seen.UnionWith(ids);
        }
        Assert.True(seen.Count > 5, $"20 samples of 5 covered only {seen.Count} peers");
    }

    [Fact]
    public async Task Join_SameIdNewAddress_ReplacesAddress()
    {
        await using var host = await BootstrapHost.StartAsync();
        await host.Channel.JoinAsync(Peer("p0", 7000));

        await host.Channel.JoinAsync(Peer("p0", 7010));

        var peers = await host.Channel.ListPeersAsync();
        var peer = Assert.Single(peers);
        Assert.Equal("127.0.0.1:7010", peer.Address);
        Assert.Equal("127.0.0.1:7010", Assert.Single((await host.Channel.JoinAsync(Peer("p1"))).Neighbours).Address);
    }

    [Fact]
    public async Task Join_AddressWithLeadingZeroPort_StoredCanonical()
    {
        await using var host = await BootstrapHost.StartAsync();

        await host.Channel.JoinAsync(new PeerInfo { Id = "p0", Address = "peer-0.peer:07000" });

        Assert.Equal("peer-0.peer:7000", Assert.Single(await host.Channel.ListPeersAsync()).Address);
    }

    [Fact]
    public async Task Heartbeat_KnownPeer_True()
    {
        await using var host = await BootstrapHost.StartAsync();
        await host.Channel.JoinAsync(Peer("p0"));

        Assert.True(await host.Channel.HeartbeatAsync(Peer("p0")));
    }

    [Fact]
    public async Task Heartbeat_UnknownPeer_FalseAndNotRegistered()
    {
        await using var host = await BootstrapHost.StartAsync();
        await host.Channel.JoinAsync(Peer("p0"));

        var known = await host.Channel.HeartbeatAsync(Peer("stranger"));

        Assert.False(known);
        Assert.Equal(["p0"], await host.Channel.ListPeerIdsAsync());
        Assert.Empty((await host.Channel.JoinAsync(Peer("p0"))).Neighbours);
    }

    [Fact]
    public async Task Leave_RemovesAtOnce()
    {
        // Arrange
        await using var host = await BootstrapHost.StartAsync("--Bootstrap:SampleSize=100");
        await host.Channel.JoinAsync(Peer("p0", 7000));
        await host.Channel.JoinAsync(Peer("p1", 7001));
        await host.Channel.JoinAsync(Peer("p2", 7002));

        // Act
        await host.Channel.LeaveAsync(Peer("p1", 7001));

        // Assert
        Assert.Equal(["p0", "p2"], await host.Channel.ListPeerIdsAsync());
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(["p0", "p2"], (await host.Channel.JoinAsync(Peer("p3", 7003))).Neighbours.Select(p => p.Id).Order());
        }
        Assert.False(await host.Channel.HeartbeatAsync(Peer("p1", 7001)));
    }

    [Fact]
    public async Task Leave_UnknownPeer_Succeeds()
    {
        await using var host = await BootstrapHost.StartAsync();

        await host.Channel.LeaveAsync(Peer("nobody"));

        Assert.Empty(await host.Channel.ListPeersAsync());
    }

    [Fact]
    public async Task ListPeers_Empty_ThenEveryLivePeerById()
    {
        await using var host = await BootstrapHost.StartAsync();
        Assert.Empty(await host.Channel.ListPeersAsync());

        await host.Channel.JoinAsync(Peer("b", 7001));
        await host.Channel.JoinAsync(Peer("a", 7000));
        await host.Channel.JoinAsync(Peer("c", 7002));

        var peers = await host.Channel.ListPeersAsync();
        Assert.Equal(["a", "b", "c"], peers.Select(p => p.Id));
        Assert.Equal(["127.0.0.1:7000", "127.0.0.1:7001", "127.0.0.1:7002"], peers.Select(p => p.Address));
    }

    [Fact]
    public async Task Expiry_ManualClock_SilentPeerDroppedHeartbeatingPeerKept()
    {
        // Arrange: peers expire 500 ms after their last Join or Heartbeat; the clock moves only when told.
        var clock = new ManualTimeProvider();
        await using var host = await BootstrapHost.StartAsync(clock,
            "--Bootstrap:HeartbeatInterval=00:00:00.100", "--Bootstrap:PeerExpiry=00:00:00.500", "--Bootstrap:SampleSize=100");
        var silent = Peer("silent", 7000);
        var steady = Peer("steady", 7001);
        await host.Channel.JoinAsync(silent);
        await host.Channel.JoinAsync(steady);

        // Act + Assert: at 400 ms both are live; at 600 ms only the one that kept heartbeating.
        clock.Advance(TimeSpan.FromMilliseconds(200));
        Assert.True(await host.Channel.HeartbeatAsync(steady));
        clock.Advance(TimeSpan.FromMilliseconds(200));
        Assert.True(await host.Channel.HeartbeatAsync(steady));
        Assert.Equal(["silent", "steady"], await host.Channel.ListPeerIdsAsync());

        clock.Advance(TimeSpan.FromMilliseconds(200));
        Assert.True(await host.Channel.HeartbeatAsync(steady));
        Assert.Equal(["steady"], await host.Channel.ListPeerIdsAsync());
        Assert.Equal(["steady"], (await host.Channel.JoinAsync(Peer("late", 7002))).Neighbours.Select(p => p.Id));
        Assert.False(await host.Channel.HeartbeatAsync(silent));
        Assert.DoesNotContain("silent", await host.Channel.ListPeerIdsAsync());
    }

    [Fact]
    public async Task Restart_NewInstanceKnowsNobody_HeartbeatUnknownThenJoinWorks()
    {
        // Arrange: a peer joined the first instance.
        await using (var first = await BootstrapHost.StartAsync())
        {
            await first.Channel.JoinAsync(Peer("p0"));
            Assert.True(await first.Channel.HeartbeatAsync(Peer("p0")));
        }

        // Act: a new instance (state is in memory only).
        await using var second = await BootstrapHost.StartAsync();

        // Assert
        Assert.Empty(await second.Channel.ListPeersAsync());
        Assert.False(await second.Channel.HeartbeatAsync(Peer("p0")));
        Assert.Empty((await second.Channel.JoinAsync(Peer("p0"))).Neighbours);
        Assert.True(await second.Channel.HeartbeatAsync(Peer("p0")));
        Assert.Equal(["p0"], await second.Channel.ListPeerIdsAsync());
    }
}
