using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using P2PMesh.Bootstrap.Peers;
using P2PMesh.V1;

namespace P2PMesh.Bootstrap.Tests.Peers;

/// <summary><see cref="PeerRegistry"/> on a manual clock: expiry boundaries, upserts, sampling.</summary>
public sealed class PeerRegistryTests
{
    private readonly ManualTimeProvider _time = new();

    private PeerRegistry CreateRegistry(int sampleSize = 8, double expirySeconds = 30) =>
        new(Options.Create(new BootstrapOptions
        {
            SampleSize = sampleSize,
            HeartbeatInterval = TimeSpan.FromSeconds(expirySeconds / 3),
            PeerExpiry = TimeSpan.FromSeconds(expirySeconds),
        }), _time, NullLogger<PeerRegistry>.Instance);

    private static PeerInfo Peer(string id, int port = 7000) => new() { Id = id, Address = $"10.0.0.1:{port}" };

    [Fact]
    public void Expiry_PeerDroppedExactlyAtPeerExpiry()
    {
        var registry = CreateRegistry(expirySeconds: 30);
        registry.Join(Peer("a"));

        _time.Advance(TimeSpan.FromSeconds(30) - TimeSpan.FromTicks(1));
        Assert.Equal(1, registry.Count);

        _time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(0, registry.Count);
        Assert.Empty(registry.Snapshot());
        Assert.False(registry.Heartbeat(Peer("a")));
    }

    [Fact]
    public void Heartbeat_RestartsTheExpiryClock()
    {
        var registry = CreateRegistry(expirySeconds: 30);
        registry.Join(Peer("a"));
        registry.Join(Peer("b"));

        for (var i = 0; i < 5; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(20));
            Assert.True(registry.Heartbeat(Peer("a")));
        }

        Assert.Equal(["a"], registry.Snapshot().Select(p => p.Id));
        Assert.Equal(["a"], registry.Join(Peer("c")).Select(p => p.Id));
    }

    [Fact]
    public void Join_NeverReturnsExpiredPeers()
    {
        var registry = CreateRegistry(sampleSize: 100, expirySeconds: 30);
        registry.Join(Peer("old"));
        _time.Advance(TimeSpan.FromSeconds(20));
        registry.Join(Peer("young"));
        _time.Advance(TimeSpan.FromSeconds(10));

        var sample = registry.Join(Peer("new"));

        Assert.Equal(["young"], sample.Select(p => p.Id));
        Assert.Equal(["new", "young"], registry.Snapshot().Select(p => p.Id));
    }

    [Fact]
    public void PurgeExpired_CountsDropped()
    {
        var registry = CreateRegistry(expirySeconds: 30);
        registry.Join(Peer("a"));
        registry.Join(Peer("b"));
        _time.Advance(TimeSpan.FromSeconds(15));
        registry.Join(Peer("c"));
        _time.Advance(TimeSpan.FromSeconds(15));

        Assert.Equal(2, registry.PurgeExpired());
        Assert.Equal(0, registry.PurgeExpired());
        Assert.Equal(["c"], registry.Snapshot().Select(p => p.Id));
    }

    [Fact]
    public void Heartbeat_UnknownPeer_FalseAndNotRegistered()
    {
        var registry = CreateRegistry();

        Assert.False(registry.Heartbeat(Peer("a")));
        Assert.Equal(0, registry.Count);
    }

    [Fact]
    public void Heartbeat_NewAddress_Replaces()
    {
        var registry = CreateRegistry();
        registry.Join(Peer("a", 7000));

        Assert.True(registry.Heartbeat(Peer("a", 7001)));

        Assert.Equal("10.0.0.1:7001", Assert.Single(registry.Snapshot()).Address);
    }

    [Fact]
    public void Join_SameIdNewAddress_ReplacesWithoutDuplicating()
    {
        var registry = CreateRegistry();
        registry.Join(Peer("a", 7000));

        registry.Join(Peer("a", 7001));

        Assert.Equal("10.0.0.1:7001", Assert.Single(registry.Snapshot()).Address);
    }

    [Fact]
    public void Leave_RemovesKnownNoOpForUnknown()
    {
        var registry = CreateRegistry();
        registry.Join(Peer("a"));

        Assert.True(registry.Leave("a"));
        Assert.False(registry.Leave("a"));
        Assert.Equal(0, registry.Count);
    }

    [Fact]
    public void Join_ReturnedPeersAreCopies()
    {
        var registry = CreateRegistry();
        registry.Join(Peer("a", 7000));

        registry.Join(Peer("b"))[0].Address = "tampered:1";
        registry.Snapshot()[0].Address = "tampered:2";

        Assert.Equal("10.0.0.1:7000", registry.Snapshot().Single(p => p.Id == "a").Address);
    }

    [Fact]
    public void Join_SampleIsUniformWithoutReplacement()
    {
        // 2,000 samples of 5 out of 20 others: each peer is expected 500 times (sd ≈ 19).
        var registry = CreateRegistry(sampleSize: 5);
        for (var i = 0; i < 20; i++)
        {
            registry.Join(Peer($"p{i}", 7000 + i));
        }
        var counts = new Dictionary<string, int>();

        for (var round = 0; round < 2000; round++)
        {
            var ids = registry.Join(Peer("joiner")).Select(p => p.Id).ToList();
            Assert.Equal(5, ids.Count);
            Assert.Equal(5, ids.Distinct().Count());
            Assert.DoesNotContain("joiner", ids);
            foreach (var id in ids)
            {
                counts[id] = counts.GetValueOrDefault(id) + 1;
            }
        }

        Assert.Equal(20, counts.Count);
        Assert.All(counts.Values, n => Assert.InRange(n, 350, 650));
    }

    [Fact]
    public async Task ConcurrentJoinsHeartbeatsAndLeaves_Consistent()
    {
        var registry = CreateRegistry(sampleSize: 4);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            for (var i = 0; i < 500; i++)
            {
                var peer = Peer($"w{worker}-{i % 10}", 7000 + i % 10);
                var sample = registry.Join(peer);
                Assert.DoesNotContain(sample, p => p.Id == peer.Id);
                Assert.True(sample.Count <= 4);
                registry.Heartbeat(peer);
                if (i % 3 == 0)
                {
                    registry.Leave(peer.Id);
                }
                _ = registry.Snapshot();
            }
        })));

        var ids = registry.Snapshot().Select(p => p.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(ids.Count, registry.Count);
    }
}
