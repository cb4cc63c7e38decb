using System.Buffers;
using System.Security.Cryptography;
using P2PMesh.Core.Content;

namespace P2PMesh.Core.Transfers.Download.Internal;

/// <summary>
/// The whole-file SHA-256 of a download, computed while it runs: the longest prefix of verified chunks is hashed as it
/// grows (a chunk that lands in order is hashed from the buffer it arrived in; chunks that completed out of order, or
/// were resumed from disk, are read back from the part file when the prefix reaches them), so the check at the end
/// costs only what is left instead of a second pass over the file (docs/architecture.md, Transfers). One lane hashes
/// at a time; a lane that finds another hashing leaves its chunk to it (or to <see cref="Finish"/>) instead of
/// waiting. Thread-safe.
/// </summary>
internal sealed class PrefixHash : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly ChunkPlan _plan;
    private readonly PartFile _part;
    private readonly Func<int, bool> _isDone;
    private readonly Lock _lock = new();
    private int _next;

    /// <param name="plan">The manifest's chunks.</param>
    /// <param name="part">The part file the chunks are written into.</param>
    /// <param name="isDone">Whether a chunk is verified and written (the run's bitmap, under its lock).</param>
    public PrefixHash(ChunkPlan plan, PartFile part, Func<int, bool> isDone)
    {
        _plan = plan;
        _part = part;
        _isDone = isDone;
    }

    /// <summary>
    /// Chunk <paramref name="index"/> has been verified and written, its bytes in <paramref name="data"/>: extends the
    /// prefix if it can, now, without waiting for another lane.
    /// </summary>
    public void Written(int index, ReadOnlySpan<byte> data)
    {
        if (!_lock.TryEnter())
        {
            return;
        }
        try
        {
            if (index == _next)
            {
                _hash.AppendData(data);
                _next++;
            }
            CatchUp(_plan.Count);
        }
        finally
        {
            _lock.Exit();
        }
    }

    /// <summary>The SHA-256 of the whole file as the part file holds it, lowercase hex: hashes what the prefix has not reached yet.</summary>
    public string Finish()
    {
        lock (_lock)
        {
            CatchUp(_plan.Count, all: true);
            return ContentHash.ToHex(_hash.GetHashAndReset());
        }
    }

    // Extends the prefix over the chunks already done (all: every chunk left, done or not, as the file holds it).
    private void CatchUp(int count, bool all = false)
    {
        byte[]? buffer = null;
        try
        {
            while (_next < count && (all || _isDone(_next)))
            {
                buffer ??= ArrayPool<byte>.Shared.Rent(_plan.MaxChunkLength);
                var length = _plan.Length(_next);
                _part.ReadExactly(buffer.AsSpan(0, length), _plan.Offset(_next));
                _hash.AppendData(buffer, 0, length);
                _next++;
            }
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _hash.Dispose();
}
