using Microsoft.Extensions.Options;
using P2PMesh.V1;

namespace P2PMesh.Core.Peers;

/// <summary>
/// This peer's neighbours: at most <see cref="NeighbourOptions.EffectiveMaxDegree"/> links, keyed by
/// peer id, with the count of consecutive missed pings of each. Thread-safe.
/// </summary>
public sealed class NeighbourTable(IOptions<NeighbourOptions> options)
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _nextOrder;

    /// <summary>The current neighbour count.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>The most neighbours accepted.</summary>
    public int MaxDegree => options.Value.EffectiveMaxDegree;

    /// <summary>The neighbours now, as copies, in link order.</summary>
    public IReadOnlyList<PeerInfo> Snapshot()
    {
        lock (_lock)
        {
            return [.. _entries.Values.OrderBy(e => e.Order).Select(e => e.Peer.Clone())];
        }
    }

    /// <summary>Whether <paramref name="peerId"/> is a neighbour.</summary>
    public bool Contains(string peerId)
    {
        lock (_lock)
        {
            return _entries.ContainsKey(peerId);
        }
    }

    /// <summary>Links <paramref name="peer"/> unless the table is full; refreshes its address if already linked.</summary>
    public NeighbourAddResult TryAdd(PeerInfo peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        lock (_lock)
        {
            if (_entries.TryGetValue(peer.Id, out var existing))
            {
                existing.Peer = peer.Clone();
                return NeighbourAddResult.AlreadyLinked;
            }
            if (_entries.Count >= MaxDegree)
            {
                return NeighbourAddResult.Full;
            }
            _entries[peer.Id] = new Entry(peer.Clone(), _nextOrder++);
            return NeighbourAddResult.Added;
        }
    }

    /// <summary>Unlinks <paramref name="peerId"/>; false if it was not a neighbour.</summary>
    public bool Remove(string peerId)
    {
        lock (_lock)
        {
            return _entries.Remove(peerId);
        }
    }

    /// <summary>Records a successful ping of <paramref name="peerId"/>.</summary>
    public void RecordPingSucceeded(string peerId)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(peerId, out var entry))
            {
                entry.MissedPings = 0;
            }
        }
    }

    /// <summary>Records a failed ping; returns the consecutive failures so far (0 if not a neighbour).</summary>
    public int RecordPingFailed(string peerId)
    {
        lock (_lock)
        {
            return _entries.TryGetValue(peerId, out var entry) ? ++entry.MissedPings : 0;
        }
    }

    private sealed class Entry(PeerInfo peer, long order)
    {
        public PeerInfo Peer { get; set; } = peer;
        public long Order { get; } = order;
        public int MissedPings { get; set; }
    }
}
