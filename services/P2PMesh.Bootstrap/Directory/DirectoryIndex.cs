using System.Buffers.Text;
using System.Security.Cryptography;
using Grpc.Core;
using Microsoft.Extensions.Options;
using P2PMesh.Bootstrap.Peers;
using P2PMesh.Contracts;
using P2PMesh.V1;

namespace P2PMesh.Bootstrap.Directory;

/// <summary>
/// The directory's sessions and index (docs/architecture.md, Directory): per logged-in peer its session and its files by
/// name (<c>SharedFile</c>, protos/p2pmesh/v1/peer.proto), written through to <see cref="DirectoryStore"/> on every change
/// and loaded from it when created, the restored peers registered in <see cref="PeerRegistry"/> with one expiry interval
/// of grace (<see cref="PeerRegistry.Restore"/>). A peer leaving or expiring in the registry
/// (<see cref="PeerRegistry.PeerRemoved"/>) loses its session and every entry at once. Thread-safe; a DI singleton.
/// </summary>
public sealed partial class DirectoryIndex : IIndexEventSink
{
    private readonly Dictionary<string, PeerIndex> _peers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _peerIdBySession = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly PeerRegistry _registry;
    private readonly DirectoryStore _store;
    private readonly IOptions<DirectoryOptions> _options;
    private readonly ILogger<DirectoryIndex> _logger;

    /// <summary>Loads the stored sessions and entries, restores their peers in <paramref name="registry"/> and follows its removals.</summary>
    public DirectoryIndex(PeerRegistry registry, DirectoryStore store, IOptions<DirectoryOptions> options, ILogger<DirectoryIndex> logger)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _registry = registry;
        _store = store;
        _options = options;
        _logger = logger;
        var stored = store.Load();
        foreach (var peer in stored)
        {
            var index = new PeerIndex(peer.Peer, peer.Session);
            foreach (var file in peer.Files)
            {
                index.Files[file.Name] = file;
            }
            _peers[peer.Peer.Id] = index;
            _peerIdBySession[peer.Session] = peer.Peer.Id;
            registry.Restore(peer.Peer);
        }
        if (store.IsPersistent)
        {
            Log.Loaded(logger, stored.Count, stored.Sum(p => p.Files.Count));
        }
        registry.PeerRemoved += OnPeerRemoved;
    }

    /// <summary>How many peers are logged in.</summary>
    public int PeerCount
    {
        get
        {
            lock (_lock)
            {
                return _peers.Count;
            }
        }
    }

    /// <summary>
    /// Logs <paramref name="peer"/> in (its credential already verified, the peer registered) and returns a new session:
    /// 32 random bytes, base64url without padding. A session it had before ends and its index is dropped.
    /// </summary>
    public string Login(PeerInfo peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var session = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        bool replaced;
        lock (_lock)
        {
            replaced = RemoveUnderLock(peer.Id);
            _store.SaveLogin(peer, session);
            _peers[peer.Id] = new PeerIndex(peer.Clone(), session);
            _peerIdBySession[session] = peer.Id;
        }
        Log.LoggedIn(_logger, peer.Id, peer.Address, replaced);
        return session;
    }

    /// <summary>The peer id <paramref name="session"/> belongs to; <c>null</c> for an unknown or ended session.</summary>
    public string? PeerIdOf(string? session)
    {
        if (string.IsNullOrEmpty(session))
        {
            return null;
        }
        lock (_lock)
        {
            return _peerIdBySession.GetValueOrDefault(session);
        }
    }

    /// <summary>Removes <paramref name="peerId"/>'s session and every entry of it at once; false when it was not logged in.</summary>
    public bool Remove(string peerId)
    {
        ArgumentNullException.ThrowIfNull(peerId);
        bool removed;
        lock (_lock)
        {
            removed = RemoveUnderLock(peerId);
        }
        if (removed)
        {
            Log.Removed(_logger, peerId);
        }
        return removed;
    }

    /// <summary>
    /// Applies one <c>SendIndex</c> update (protos/p2pmesh/v1/directory.proto) of the peer logged in with
    /// <paramref name="session"/>, all or nothing, and answers whether the directory's copy now has the peer's
    /// <paramref name="digest"/> (<see cref="IndexDigest"/>) and how many files it holds for the peer. The entries are
    /// already validated (<see cref="IndexEntryValidation"/>), names unique.
    /// </summary>
    /// <exception cref="RpcException">
    /// <see cref="StatusCode.Unauthenticated"/>: an unknown or ended session (log in again);
    /// <see cref="StatusCode.ResourceExhausted"/>: the peer would hold more than <see cref="DirectoryOptions.MaxFilesPerPeer"/> files (nothing applied).
    /// </exception>
    public SendIndexReply Apply(string session, SendIndexRequest.Types.Kind kind, IReadOnlyCollection<SharedFile> upserted, IReadOnlyCollection<string> removed, string digest)
    {
        ArgumentNullException.ThrowIfNull(upserted);
        ArgumentNullException.ThrowIfNull(removed);
        var max = _options.Value.MaxFilesPerPeer;
        lock (_lock)
        {
            if (string.IsNullOrEmpty(session) || !_peerIdBySession.TryGetValue(session, out var peerId))
            {
                throw new RpcException(new Status(StatusCode.Unauthenticated, "unknown or expired session; log in again"));
            }
            var index = _peers[peerId];
            if (kind != SendIndexRequest.Types.Kind.Digest)
            {
                var replace = kind == SendIndexRequest.Types.Kind.Full;
                var count = replace ? upserted.Count : CountAfterDelta(index, upserted, removed);
                if (count > max)
                {
                    throw new RpcException(new Status(StatusCode.ResourceExhausted,
                        $"the update leaves {count} files for peer {peerId}; the directory holds at most {max} per peer"));
                }
                _store.Apply(peerId, replace, upserted, removed);
                if (replace)
                {
                    index.Files.Clear();
                }
                foreach (var name in removed)
                {
                    index.Files.Remove(name);
                }
                foreach (var file in upserted)
                {
                    index.Files[file.Name] = file.Clone();
                }
                index.Digest = null;
            }
            var inSync = string.Equals(index.Digest ??= IndexDigest.Compute(index.Files.Values), digest, StringComparison.Ordinal);
            if (!inSync)
            {
                Log.OutOfSync(_logger, peerId, kind, index.Files.Count);
            }
            return new SendIndexReply { InSync = inSync, Files = (uint)index.Files.Count };
        }
    }

    /// <summary>
    /// Every (holder, file) whose file matches <paramref name="pattern"/>, ordered by holder id then name: the
    /// flood's hit shape (<c>Hit</c>, protos/p2pmesh/v1/peer.proto) with holder, name, size, sha256 and chunk size
    /// set, path and hops empty; and how many logged-in peers were searched.
    /// </summary>
    public (IReadOnlyList<Hit> Hits, int PeersIndexed) Query(SearchPattern pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var hits = new List<Hit>();
        lock (_lock)
        {
            foreach (var index in _peers.Values.OrderBy(p => p.Peer.Id, StringComparer.Ordinal))
            {
                foreach (var file in index.Files.Values.OrderBy(f => f.Name, StringComparer.Ordinal))
                {
                    if (pattern.Matches(file.Name, file.Sha256))
                    {
                        hits.Add(new Hit
                        {
                            Holder = index.Peer.Clone(),
                            Name = file.Name,
                            Size = file.Size,
                            Sha256 = file.Sha256,
                            ChunkSize = file.ChunkSize,
                        });
                    }
                }
            }
            return (hits, _peers.Count);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> ApplyAsync(IndexEvent indexEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(indexEvent);
        cancellationToken.ThrowIfCancellationRequested();
        if (string.IsNullOrWhiteSpace(indexEvent.Peer?.Id))
        {
            throw new ArgumentException("the event has no peer id", nameof(indexEvent));
        }
        var error = indexEvent.Change switch
        {
            IndexEvent.Types.Change.Added => IndexEntryValidation.Check(indexEvent.File, "file"),
            IndexEvent.Types.Change.Removed => indexEvent.File is null ? "file is required" : IndexEntryValidation.CheckName(indexEvent.File.Name, "file"),
            _ => $"change {indexEvent.Change} is neither ADDED nor REMOVED",
        };
        if (error is not null)
        {
            throw new ArgumentException(error, nameof(indexEvent));
        }
        var peerId = indexEvent.Peer.Id;
        var file = indexEvent.File!;
        var added = indexEvent.Change == IndexEvent.Types.Change.Added;
        lock (_lock)
        {
            if (!_peers.TryGetValue(peerId, out var index))
            {
                return ValueTask.FromResult(false);
            }
            if (added && !index.Files.ContainsKey(file.Name) && index.Files.Count >= _options.Value.MaxFilesPerPeer)
            {
                Log.EventOverLimit(_logger, peerId, file.Name);
                return ValueTask.FromResult(false);
            }
            string[] removedNames = added ? [] : [file.Name];
            SharedFile[] upserted = added ? [file] : [];
            _store.Apply(peerId, replace: false, upserted, removedNames);
            if (added)
            {
                index.Files[file.Name] = file.Clone();
            }
            else
            {
                index.Files.Remove(file.Name);
            }
            index.Digest = null;
        }
        return ValueTask.FromResult(true);
    }

    private static int CountAfterDelta(PeerIndex index, IReadOnlyCollection<SharedFile> upserted, IReadOnlyCollection<string> removed)
    {
        var count = index.Files.Count;
        foreach (var name in removed)
        {
            if (index.Files.ContainsKey(name))
            {
                count--;
            }
        }
        foreach (var file in upserted)
        {
            if (!index.Files.ContainsKey(file.Name))
            {
                count++;
            }
        }
        return count;
    }

    private bool RemoveUnderLock(string peerId)
    {
        if (!_peers.Remove(peerId, out var index))
        {
            return false;
        }
        _peerIdBySession.Remove(index.Session);
        _store.Remove(peerId);
        return true;
    }

    // A peer that left or expired loses its session and its entries; one that registered again meanwhile (a new Join
    // or Login) keeps them.
    private void OnPeerRemoved(object? sender, string peerId)
    {
        if (!_registry.IsRegistered(peerId))
        {
            Remove(peerId);
        }
    }

    /// <summary>One logged-in peer: who, its session, its files by name and their cached digest.</summary>
    private sealed class PeerIndex(PeerInfo peer, string session)
    {
        public PeerInfo Peer { get; } = peer;

        public string Session { get; } = session;

        public Dictionary<string, SharedFile> Files { get; } = new(StringComparer.Ordinal);

        /// <summary>The <see cref="IndexDigest"/> of <see cref="Files"/>; <c>null</c> after a change until computed again.</summary>
        public string? Digest { get; set; }
    }
}
