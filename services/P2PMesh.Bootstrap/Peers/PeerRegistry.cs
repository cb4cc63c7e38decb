using Microsoft.Extensions.Options;
using P2PMesh.V1;

namespace P2PMesh.Bootstrap.Peers;

/// <summary>
/// The live peers the Bootstrap knows (docs/architecture.md, Bootstrap), keyed by peer id, in memory only: a
/// restarted Bootstrap knows nobody, and its <see cref="Heartbeat"/> answers tell peers to join again.
/// A peer is live from its <see cref="Join"/> until <see cref="BootstrapOptions.PeerExpiry"/> has passed
/// since its last <see cref="Join"/> or <see cref="Heartbeat"/> (measured on
/// <see cref="TimeProvider.GetTimestamp"/>, so wall-clock jumps do not expire anyone), or until it
/// <see cref="Leave"/>s. Expired peers are purged on every access, so no method ever returns one, and
/// by <see cref="PeerExpirySweeper"/> in the background. Every removal (leave or expiry) raises <see cref="PeerRemoved"/>,
/// which the directory (<see cref="Directory.DirectoryIndex"/>) uses to drop the peer's session and index. Thread-safe; a DI singleton.
/// </summary>
/// <remarks>Peers are <see cref="PeerInfo"/> messages (protos/p2pmesh/v1/common.proto); callers validate them first.</remarks>
public sealed partial class PeerRegistry(IOptions<BootstrapOptions> options, TimeProvider timeProvider, ILogger<PeerRegistry> logger)
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>
    /// Raised with the peer's id after a peer left (<see cref="Leave"/>) or expired, outside the registry's lock, on the
    /// thread that noticed it. Handlers must not throw.
    /// </summary>
    public event EventHandler<string>? PeerRemoved;

    /// <summary>The number of live peers.</summary>
    public int Count
    {
        get
        {
            PurgeExpired();
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>
    /// Registers <paramref name="peer"/>, or refreshes it and replaces its address if its id is already
    /// registered, and returns a random sample, without replacement, of the other live peers:
    /// min(<see cref="BootstrapOptions.SampleSize"/>, live peers − 1) copies, never <paramref name="peer"/> itself.
    /// The sample is source-diverse: one peer from each of as many distinct sources as it can hold (sources in random
    /// order) before a second from any, so many peers from one host cannot fill a newcomer's sample (an eclipse).
    /// </summary>
    /// <param name="peer">The joiner, with a non-blank id.</param>
    /// <param name="source">Where the Join came from (the caller's IP); <c>null</c> counts as one unknown source.</param>
    /// <exception cref="ArgumentNullException"><paramref name="peer"/> is null.</exception>
    /// <exception cref="ArgumentException">The peer's id is empty or blank.</exception>
    /// <exception cref="SourceFullException">A new peer from a source that already registered <see cref="BootstrapOptions.MaxPeersPerSource"/>.</exception>
    public IReadOnlyList<PeerInfo> Join(PeerInfo peer, System.Net.IPAddress? source = null)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentException.ThrowIfNullOrWhiteSpace(peer.Id, nameof(peer));
        PurgeExpired();

        string? previousAddress;
        PeerInfo[] sample;
        lock (_lock)
        {
            var now = timeProvider.GetTimestamp();
            var sourceKey = SourceKey(source);
            if (_entries.TryGetValue(peer.Id, out var entry))
            {
                previousAddress = entry.Peer.Address;
                entry.Peer = peer.Clone();
                entry.LastSeen = now;
                entry.Source = sourceKey;
            }
            else
            {
                var fromSource = _entries.Values.Count(e => e.Source == sourceKey);
                if (fromSource >= options.Value.MaxPeersPerSource)
                {
                    throw new SourceFullException(sourceKey, options.Value.MaxPeersPerSource);
                }
                previousAddress = null;
                _entries[peer.Id] = new Entry(peer.Clone(), now) { Source = sourceKey };
            }
            sample = SampleOthers(peer.Id, options.Value.SampleSize);
        }

        if (previousAddress is null)
        {
            Log.PeerJoined(logger, peer.Id, peer.Address, sample.Length);
        }
        else if (previousAddress != peer.Address)
        {
            Log.PeerAddressChanged(logger, peer.Id, previousAddress, peer.Address);
        }
        else
        {
            Log.PeerRejoined(logger, peer.Id, sample.Length);
        }
        return sample;
    }

    /// <summary>
    /// Refreshes a live peer (replacing its address if it changed) and returns true; returns false,
    /// and registers nothing, when <paramref name="peer"/>'s id is not live (never joined, left, expired,
    /// or the Bootstrap restarted): the peer should <see cref="Join"/> again.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="peer"/> is null.</exception>
    public bool Heartbeat(PeerInfo peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        PurgeExpired();
        bool known;
        string? previousAddress = null;
        lock (_lock)
        {
            known = _entries.TryGetValue(peer.Id, out var entry);
            if (entry is not null)
            {
                entry.LastSeen = timeProvider.GetTimestamp();
                if (entry.Peer.Address != peer.Address)
                {
                    previousAddress = entry.Peer.Address;
                    entry.Peer = peer.Clone();
                }
            }
        }

        if (!known)
        {
            Log.UnknownPeerHeartbeat(logger, peer.Id);
        }
        else if (previousAddress is not null)
        {
            Log.PeerAddressChanged(logger, peer.Id, previousAddress, peer.Address);
        }
        return known;
    }

    /// <summary>
    /// Registers <paramref name="peer"/> as if it had just heartbeated, unless its id is live already: a peer the
    /// directory restored from its database (docs/architecture.md, Directory: Persistence) gets one
    /// <see cref="BootstrapOptions.PeerExpiry"/> of grace to heartbeat before it expires.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="peer"/> is null.</exception>
    public void Restore(PeerInfo peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        lock (_lock)
        {
            if (!_entries.ContainsKey(peer.Id))
            {
                _entries[peer.Id] = new Entry(peer.Clone(), timeProvider.GetTimestamp());
            }
        }
        Log.PeerRestored(logger, peer.Id, peer.Address);
    }

    /// <summary>Removes <paramref name="peerId"/> at once; false (a no-op) if it was not live.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="peerId"/> is null.</exception>
    public bool Leave(string peerId)
    {
        ArgumentNullException.ThrowIfNull(peerId);
        PurgeExpired();
        bool removed;
        lock (_lock)
        {
            removed = _entries.Remove(peerId);
        }
        if (removed)
        {
            Log.PeerLeft(logger, peerId);
            PeerRemoved?.Invoke(this, peerId);
        }
        return removed;
    }

    /// <summary>
    /// Whether <paramref name="peerId"/> is registered right now, without purging first (so it can be asked from a
    /// <see cref="PeerRemoved"/> handler: true there means the peer registered again meanwhile).
    /// </summary>
    public bool IsRegistered(string peerId)
    {
        ArgumentNullException.ThrowIfNull(peerId);
        lock (_lock)
        {
            return _entries.ContainsKey(peerId);
        }
    }

    /// <summary>Every live peer, as copies, ordered by id (ordinal).</summary>
    public IReadOnlyList<PeerInfo> Snapshot()
    {
        PurgeExpired();
        lock (_lock)
        {
            return [.. _entries.Values.Select(e => e.Peer.Clone()).OrderBy(p => p.Id, StringComparer.Ordinal)];
        }
    }

    /// <summary>Drops every peer not heard from for <see cref="BootstrapOptions.PeerExpiry"/>; returns how many.</summary>
    public int PurgeExpired()
    {
        var expiry = options.Value.PeerExpiry;
        List<(PeerInfo Peer, TimeSpan Silence)>? expired = null;
        lock (_lock)
        {
            foreach (var (id, entry) in _entries)
            {
                var silence = timeProvider.GetElapsedTime(entry.LastSeen);
                if (silence >= expiry)
                {
                    (expired ??= []).Add((entry.Peer, silence));
                }
            }
            if (expired is null)
            {
                return 0;
            }
            foreach (var (peer, _) in expired)
            {
                _entries.Remove(peer.Id);
            }
        }

        foreach (var (peer, silence) in expired)
        {
            Log.PeerExpired(logger, peer.Id, peer.Address, silence);
            PeerRemoved?.Invoke(this, peer.Id);
        }
        return expired.Count;
    }

    /// <summary>
    /// Up to <paramref name="size"/> live peers other than <paramref name="excludedId"/>, at random without replacement,
    /// source-diverse: the sources in random order, one peer (at random) from each per round. Call under <see cref="_lock"/>.
    /// </summary>
    private PeerInfo[] SampleOthers(string excludedId, int size)
    {
        var bySource = new Dictionary<string, List<PeerInfo>>(StringComparer.Ordinal);
        var total = 0;
        foreach (var entry in _entries.Values)
        {
            if (!string.Equals(entry.Peer.Id, excludedId, StringComparison.Ordinal))
            {
                if (!bySource.TryGetValue(entry.Source, out var peers))
                {
                    bySource[entry.Source] = peers = [];
                }
                peers.Add(entry.Peer);
                total++;
            }
        }
        var sources = bySource.Values.ToArray();
        Random.Shared.Shuffle(sources);
        foreach (var peers in sources)
        {
            Random.Shared.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(peers));
        }
        var sample = new List<PeerInfo>(Math.Min(size, total));
        for (var round = 0; sample.Count < size && sample.Count < total; round++)
        {
            foreach (var peers in sources)
            {
                if (round < peers.Count && sample.Count < size)
                {
                    sample.Add(peers[round].Clone());
                }
            }
        }
        return [.. sample];
    }

    private static string SourceKey(System.Net.IPAddress? source) =>
        source is null ? "unknown" : (source.IsIPv4MappedToIPv6 ? source.MapToIPv4() : source).ToString();

    private sealed class Entry(PeerInfo peer, long lastSeen)
    {
        public PeerInfo Peer { get; set; } = peer;

        /// <summary>When the peer last joined or heartbeated, in <see cref="TimeProvider.GetTimestamp"/> ticks.</summary>
        public long LastSeen { get; set; } = lastSeen;

        /// <summary>The source address the peer last joined from (<see cref="SourceKey"/>).</summary>
        public string Source { get; set; } = "unknown";
    }
}
