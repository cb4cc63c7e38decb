using P2PMesh.Contracts;

namespace P2PMesh.Core.Transfers.Download.Internal;

/// <summary>
/// One source of a download: its address, what it has served, and whether (and why) it was dropped.
/// A drop is either for good (a failed call, a bad or dishonest manifest) or only for as long as the
/// current manifest is trusted (it sent bytes that do not match that manifest): when the manifest
/// turns out to be dishonest, such sources are reinstated. Thread-safe.
/// </summary>
internal sealed class SourceTracker(PeerAddress address)
{
    private readonly Lock _lock = new();
    private CancellationTokenSource? _fetch;
    private string? _droppedReason;
    private bool _permanent;
    private bool _isManifestSource;
    private int _chunksServed;
    private long _bytesServed;
    private long _bytesReceived;

    /// <summary>The source's address.</summary>
    public PeerAddress Address { get; } = address;

    /// <summary>Whether this source has been asked for its manifest (each source is asked once per job).</summary>
    public bool ManifestRequested { get; set; }

    /// <summary>Whether the manifest in use came from this source.</summary>
    public bool IsManifestSource
    {
        get
        {
            lock (_lock)
            {
                return _isManifestSource;
            }
        }
        set
        {
            lock (_lock)
            {
                _isManifestSource = value;
            }
        }
    }

    /// <summary>Whether the source is in use (not dropped).</summary>
    public bool IsActive
    {
        get
        {
            lock (_lock)
            {
                return _droppedReason is null;
            }
        }
    }

    /// <summary>Whether the source is dropped only for disagreeing with the current manifest.</summary>
    public bool IsDroppedForManifest
    {
        get
        {
            lock (_lock)
            {
                return _droppedReason is not null && !_permanent;
            }
        }
    }

    /// <summary>The drop reason, or <c>null</c> while in use.</summary>
    public string? DroppedReason
    {
        get
        {
            lock (_lock)
            {
                return _droppedReason;
            }
        }
    }

    /// <summary>A token for this source's lanes in one fetch phase: cancelled when it is dropped or <paramref name="fetch"/> is.</summary>
    public CancellationToken BeginFetch(CancellationToken fetch)
    {
        lock (_lock)
        {
            _fetch?.Dispose();
            _fetch = CancellationTokenSource.CreateLinkedTokenSource(fetch);
            if (_droppedReason is not null)
            {
                _fetch.Cancel();
            }
            return _fetch.Token;
        }
    }

    /// <summary>Ends the fetch phase started by <see cref="BeginFetch"/>.</summary>
    public void EndFetch()
    {
        lock (_lock)
        {
            _fetch?.Dispose();
            _fetch = null;
        }
    }

    /// <summary>
    /// Drops the source and cancels its lanes. A permanent drop also replaces an earlier
    /// manifest-scoped one; otherwise the first reason stays.
    /// </summary>
    /// <returns>Whether this call changed the source's state.</returns>
    public bool Drop(string reason, bool permanent)
    {
        CancellationTokenSource? fetch;
        lock (_lock)
        {
            if (_droppedReason is not null && (_permanent || !permanent))
            {
                return false;
            }
            _droppedReason = reason;
            _permanent = permanent;
            fetch = _fetch;
        }
        // Outside the lock: cancellation runs the lanes' callbacks. Lanes only drop during a fetch
        // phase, which ends (EndFetch) after every lane has stopped, so the source is not disposed yet.
        fetch?.Cancel();
        return true;
    }

    /// <summary>Puts a source dropped only for disagreeing with a manifest back in use; false if it was not.</summary>
    public bool Reinstate()
    {
        lock (_lock)
        {
            if (_droppedReason is null || _permanent)
            {
                return false;
            }
            _droppedReason = null;
            return true;
        }
    }

    /// <summary>Counts a verified chunk of <paramref name="bytes"/> bytes from this source.</summary>
    public void AddServed(int bytes)
    {
        lock (_lock)
        {
            _chunksServed++;
            _bytesServed += bytes;
        }
    }

    /// <summary>Bytes this source has sent in chunk calls that ended, verified or not (for the download's span).</summary>
    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    /// <summary>Counts <paramref name="bytes"/> received from this source in one chunk call, before verification.</summary>
    public void AddReceived(int bytes) => Interlocked.Add(ref _bytesReceived, bytes);

    /// <summary>The public view.</summary>
    public DownloadSourceProgress Snapshot()
    {
        lock (_lock)
        {
            return new DownloadSourceProgress
            {
                Address = Address.ToString(),
                ChunksServed = _chunksServed,
                BytesServed = _bytesServed,
                ManifestSource = _isManifestSource,
                DroppedReason = _droppedReason,
            };
        }
    }
}
