using Microsoft.Extensions.Options;
using P2PMesh.Core.Search;

namespace P2PMesh.Core.Tests.Search;

public sealed class SeenQueryCacheTests
{
    private readonly ManualClock _clock = new();

    [Fact]
    public void TryAdd_SameIdTwice_SecondIsFalse()
    {
        // Arrange
        var cache = Create();
        var id = Guid.NewGuid().ToByteArray();

        // Act
        var first = cache.TryAdd(id);
        var second = cache.TryAdd(id);

        // Assert
        Assert.True(first);
        Assert.False(second);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void TryAdd_AfterExpiry_IsNewAgainAndExpiredIdsAreDropped()
    {
        // Arrange
        var cache = Create(expiry: TimeSpan.FromMinutes(1));
        var old = Guid.NewGuid().ToByteArray();
        cache.TryAdd(old);
        _clock.Now += TimeSpan.FromSeconds(59);
        Assert.False(cache.TryAdd(old));

        // Act
        _clock.Now += TimeSpan.FromSeconds(1);
        var fresh = cache.TryAdd(Guid.NewGuid().ToByteArray());

        // Assert
        Assert.True(fresh);
        Assert.Equal(1, cache.Count);
        Assert.True(cache.TryAdd(old));
    }

    [Fact]
    public void TryAdd_BeyondCapacity_ForgetsOldestFirst()
    {
        // Arrange
        const int capacity = 16;
        var cache = Create(capacity: capacity);
        var ids = Enumerable.Range(0, capacity + 1).Select(_ => Guid.NewGuid().ToByteArray()).ToList();
        Assert.All(ids, id => Assert.True(cache.TryAdd(id)));

        // Act: one more id pushes the count over the capacity, so the oldest goes.
        var oldestForgotten = cache.TryAdd(ids[0]);

        // Assert
        Assert.True(oldestForgotten);
        Assert.False(cache.TryAdd(ids[^1]));
        Assert.InRange(cache.Count, capacity, capacity + 1);
    }

    [Fact]
    public void TryAdd_NotSixteenBytes_Throws()
    {
        Assert.Throws<ArgumentException>(() => Create().TryAdd(new byte[15]));
    }

    private SeenQueryCache Create(int capacity = 100_000, TimeSpan? expiry = null) =>
        new(Options.Create(new FloodOptions { SeenCacheCapacity = capacity, SeenCacheExpiry = expiry ?? TimeSpan.FromMinutes(5) }), _clock);

    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
