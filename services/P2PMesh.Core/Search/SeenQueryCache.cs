using Microsoft.Extensions.Options;

namespace P2PMesh.Core.Search;

/// <summary>
/// The query ids this peer has processed, for duplicate suppression: bounded (the oldest entries go
/// first beyond <see cref="FloodOptions.SeenCacheCapacity"/>) and time-expiring
/// (<see cref="FloodOptions.SeenCacheExpiry"/>). Thread-safe.
/// </summary>
public sealed class SeenQueryCache(IOptions<FloodOptions> options, TimeProvider timeProvider)
{
    private readonly Dictionary<Guid, DateTimeOffset> _expiry = [];
    private readonly Queue<(Guid Id, DateTimeOffset Expires)> _order = new();
    private readonly Lock _lock = new();

    /// <summary>Entries held now (expired ones may linger until the next call).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _expiry.Count;
            }
        }
    }

    /// <summary>Marks <paramref name="queryId"/> (16 bytes) seen; false if it already was (and has not expired).</summary>
    /// <exception cref="ArgumentException"><paramref name="queryId"/> is not 16 bytes.</exception>
    public bool TryAdd(ReadOnlySpan<byte> queryId)
    {
        var id = new Guid(queryId);
        var now = timeProvider.GetUtcNow();
        lock (_lock)
        {
            Evict(now);
            if (_expiry.TryGetValue(id, out var expires) && expires > now)
            {
                return false;
            }
            var newExpiry = now + options.Value.SeenCacheExpiry;
            _expiry[id] = newExpiry;
            _order.Enqueue((id, newExpiry));
            return true;
        }
    }

    private void Evict(DateTimeOffset now)
    {
        var capacity = options.Value.SeenCacheCapacity;
        while (_order.TryPeek(out var oldest) && (oldest.Expires <= now || _expiry.Count > capacity || _order.Count > 2 * capacity))
        {
            _order.Dequeue();
            // Forget the id if this queue entry is its current one (it may have been re-added later): an id
            // whose current entry has left the queue could never expire.
            if (_expiry.TryGetValue(oldest.Id, out var current) && current == oldest.Expires)
            {
                _expiry.Remove(oldest.Id);
            }
        }
    }
}
