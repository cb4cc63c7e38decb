namespace P2PMesh.Core.Transfers;

/// <summary>
/// The bytes promised to uploads still being received (docs/security.md, Abuse limits): an upload reserves its
/// declared size before its first byte is written, against the volume's free space minus
/// <see cref="TransferOptions.MinFreeBytes"/> minus what other uploads reserved, so concurrent uploads cannot
/// together fill the volume (each checked alone at its start, four 200 MiB uploads took a 300 MiB volume to 0 bytes
/// free and all failed). Thread-safe; one instance per PServer (a DI singleton).
/// </summary>
public sealed class SpaceReservations
{
    private readonly Lock _lock = new();
    private long _reserved;

    /// <summary>Bytes reserved by uploads in progress.</summary>
    public long Reserved
    {
        get
        {
            lock (_lock)
            {
                return _reserved;
            }
        }
    }

    /// <summary>
    /// Reserves <paramref name="bytes"/> when <paramref name="availableBytes"/> (the volume's free space now) minus
    /// <paramref name="minFreeBytes"/> minus every reservation still held leaves room for them.
    /// </summary>
    /// <param name="bytes">The upload's declared size, in bytes.</param>
    /// <param name="availableBytes">Free bytes on the volume (<see cref="DriveInfo.AvailableFreeSpace"/>).</param>
    /// <param name="minFreeBytes">Bytes that must stay free.</param>
    /// <param name="reservation">The reservation: dispose it when the upload ended (stored or failed).</param>
    /// <param name="room">Bytes that could still be reserved (may be negative).</param>
    /// <returns>Whether the bytes were reserved.</returns>
    public bool TryReserve(long bytes, long availableBytes, long minFreeBytes, out IDisposable? reservation, out long room)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        lock (_lock)
        {
            // Bytes already written by uploads in progress are both counted free-no-more and reserved: over-cautious
            // by at most what is in flight, never under.
            room = availableBytes - minFreeBytes - _reserved;
            if (bytes > room)
            {
                reservation = null;
                return false;
            }
            _reserved += bytes;
        }
        reservation = new Reservation(this, bytes);
        return true;
    }

    private void Release(long bytes)
    {
        lock (_lock)
        {
            _reserved -= bytes;
        }
    }

    private sealed class Reservation(SpaceReservations owner, long bytes) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner.Release(bytes);
            }
        }
    }
}
