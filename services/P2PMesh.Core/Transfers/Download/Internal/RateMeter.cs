namespace P2PMesh.Core.Transfers.Download.Internal;

/// <summary>
/// A byte rate over a sliding window: samples of a growing byte count, with the rate taken from the
/// newest sample that is at least one window old (or the first sample) up to now. Thread-safe.
/// </summary>
internal sealed class RateMeter(TimeProvider timeProvider, TimeSpan window)
{
    private readonly Lock _lock = new();
    private readonly Queue<(long Timestamp, long Bytes)> _samples = new();

    /// <summary>Forgets every sample and starts from (now, <paramref name="bytes"/>).</summary>
    public void Reset(long bytes)
    {
        lock (_lock)
        {
            _samples.Clear();
            _samples.Enqueue((timeProvider.GetTimestamp(), bytes));
        }
    }

    /// <summary>Records that the count is <paramref name="bytes"/> now.</summary>
    public void Record(long bytes)
    {
        var now = timeProvider.GetTimestamp();
        lock (_lock)
        {
            _samples.Enqueue((now, bytes));
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
            if (!_samples.TryPeek(out var baseline))
            {
                return 0;
            }
            var elapsed = timeProvider.GetElapsedTime(baseline.Timestamp, now).TotalSeconds;
            return elapsed <= 0.001 ? 0 : Math.Max(0, bytes - baseline.Bytes) / elapsed;
        }
    }

    // Keeps exactly one sample older than the window, as the baseline.
    private void Prune(long now)
    {
        while (_samples.Count >= 2 && timeProvider.GetElapsedTime(_samples.ElementAt(1).Timestamp, now) >= window)
        {
            _samples.Dequeue();
        }
    }
}
