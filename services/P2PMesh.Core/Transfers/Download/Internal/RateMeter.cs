namespace P2PMesh.Core.Transfers.Download.Internal;

/// <summary>
/// A byte rate over a sliding window: samples of a growing byte count, starting from (creation, 0),
/// with the rate taken from the newest sample that is at least one window old (or the first sample) up
/// to now. Thread-safe.
/// </summary>
internal sealed class RateMeter(TimeProvider timeProvider, TimeSpan window)
{
    private readonly Lock _lock = new();

    // The samples newer than the baseline, oldest first.
    private readonly Queue<(long Timestamp, long Bytes)> _newer = new();
    private (long Timestamp, long Bytes) _baseline = (timeProvider.GetTimestamp(), 0);

    /// <summary>Records that the count is <paramref name="bytes"/> now.</summary>
    public void Record(long bytes)
    {
        var now = timeProvider.GetTimestamp();
        lock (_lock)
        {
            _newer.Enqueue((now, bytes));
            Prune(now);
        }
    }

    /// <summary>Bytes per second from the window's baseline to <paramref name="bytes"/> at <paramref name="timestamp"/> (default: now).</summary>
    public double BytesPerSecond(long bytes, long? timestamp = null)
    {
        var now = timestamp ?? timeProvider.GetTimestamp();
        lock (_lock)
        {
            Prune(now);
            var elapsed = timeProvider.GetElapsedTime(_baseline.Timestamp, now).TotalSeconds;
            return elapsed <= 0.001 ? 0 : Math.Max(0, bytes - _baseline.Bytes) / elapsed;
        }
    }

    // The baseline becomes the newest sample at least one window old (if any).
    private void Prune(long now)
    {
        while (_newer.TryPeek(out var next) && timeProvider.GetElapsedTime(next.Timestamp, now) >= window)
        {
            _baseline = _newer.Dequeue();
        }
    }
}
