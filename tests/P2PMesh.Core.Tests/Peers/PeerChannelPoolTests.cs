using Microsoft.Extensions.Time.Testing;
using P2PMesh.Contracts;
using P2PMesh.Core.Peers;

namespace P2PMesh.Core.Tests.Peers;

/// <summary><see cref="PeerChannelPool"/>: one channel per address, and idle channels (peers that left) disposed.</summary>
public sealed class PeerChannelPoolTests
{
    private static readonly PeerAddress Left = new("peer-left", 7000);
    private static readonly PeerAddress Stays = new("peer-stays", 7000);

    [Fact]
    public void Channel_SameAddressTwice_SameChannel()
    {
        using var pool = new PeerChannelPool(new FakeTimeProvider());

        var first = pool.Channel(Stays);

        Assert.Same(first, pool.Channel(new PeerAddress("peer-stays", 7000)));
        Assert.NotSame(first, pool.Channel(Left));
        Assert.Equal(2, pool.Count);
        Assert.Equal("peer-stays:7000", first.Target);
    }

    [Fact]
    public void EvictIdle_ChannelUnusedForIdleTimeout_DisposedAndUsedOneKept()
    {
        // Arrange: both channels open; only one is asked for again after a while.
        var clock = new FakeTimeProvider();
        using var pool = new PeerChannelPool(clock);
        var left = pool.Channel(Left);
        var stays = pool.Channel(Stays);
        clock.Advance(PeerChannelPool.IdleTimeout - TimeSpan.FromMinutes(1));
        Assert.NotNull(pool.Peer(Stays));   // asking for a client uses the channel

        // Act: the first is now unused for longer than the timeout, the second for a minute.
        clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromTicks(1));
        var evicted = pool.EvictIdle();

        // Assert
        Assert.Equal(1, evicted);
        Assert.Equal(1, pool.Count);
        Assert.Throws<ObjectDisposedException>(() => left.CreateCallInvoker());
        Assert.NotNull(stays.CreateCallInvoker());
        Assert.Same(stays, pool.Channel(Stays));
        var reopened = pool.Channel(Left);
        Assert.NotSame(left, reopened);
        Assert.NotNull(reopened.CreateCallInvoker());
    }

    [Fact]
    public void EvictIdle_UnusedForExactlyIdleTimeout_Kept()
    {
        var clock = new FakeTimeProvider();
        using var pool = new PeerChannelPool(clock);
        var channel = pool.Channel(Left);

        clock.Advance(PeerChannelPool.IdleTimeout);

        Assert.Equal(0, pool.EvictIdle());
        Assert.Same(channel, pool.Channel(Left));
    }

    [Fact]
    public void Dispose_DisposesEveryChannel()
    {
        var pool = new PeerChannelPool(new FakeTimeProvider());
        var channels = new[] { pool.Channel(Left), pool.Channel(Stays) };

        pool.Dispose();

        Assert.Equal(0, pool.Count);
        Assert.All(channels, c => Assert.Throws<ObjectDisposedException>(() => c.CreateCallInvoker()));
    }
}
