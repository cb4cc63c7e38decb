using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using P2PMesh.Core.Content.Internal;

namespace P2PMesh.Core.Transfers.Download.Internal;

/// <summary>
/// The <c>.part</c> file a download writes chunks into at their offsets, open exclusively (a second
/// download of the same file in this or another process fails to open it) and sized to the file up
/// front. Reads and writes go through <see cref="RandomAccess"/>, so lanes write concurrently.
/// </summary>
internal sealed class PartFile : IDisposable
{
    private readonly SafeFileHandle _handle;

    private PartFile(SafeFileHandle handle, bool existed)
    {
        _handle = handle;
        Existed = existed;
    }

    /// <summary>Whether the file was there before this open (an earlier run's bytes may be in it).</summary>
    public bool Existed { get; }

    /// <summary>Opens or creates <paramref name="path"/> and sets its length to <paramref name="size"/>.</summary>
    /// <exception cref="IOException">It could not be opened (for example, another download holds it) or sized.</exception>
    /// <exception cref="UnauthorizedAccessException">It may not be opened.</exception>
    public static PartFile Open(string path, long size)
    {
        var existed = File.Exists(path);
        var handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, FileOptions.Asynchronous);
        try
        {
            if (RandomAccess.GetLength(handle) != size)
            {
                RandomAccess.SetLength(handle, size);
            }
            return new PartFile(handle, existed);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Writes <paramref name="data"/> at <paramref name="offset"/>.</summary>
    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, long offset, CancellationToken cancellationToken) =>
        RandomAccess.WriteAsync(_handle, data, offset, cancellationToken);

    /// <summary>
    /// Whether chunk <paramref name="index"/> as it is on disk matches the plan's hash; reads it into
    /// <paramref name="buffer"/> (at least <see cref="ChunkPlan.MaxChunkLength"/> bytes). With
    /// <paramref name="zerosAreUnwritten"/>, a chunk that reads as all zeros (a hole of the sparse file, never written)
    /// is false without hashing it.
    /// </summary>
    public async Task<bool> VerifyChunkAsync(ChunkPlan plan, int index, byte[] buffer, bool zerosAreUnwritten, CancellationToken cancellationToken)
    {
        var length = plan.Length(index);
        var offset = plan.Offset(index);
        for (var read = 0; read < length;)
        {
            var n = await RandomAccess.ReadAsync(_handle, buffer.AsMemory(read, length - read), offset + read, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return false;
            }
            read += n;
        }
        if (zerosAreUnwritten && !buffer.AsSpan(0, length).ContainsAnyExcept((byte)0))
        {
            return false;
        }
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer.AsSpan(0, length), digest);
        return digest.SequenceEqual(plan.Hash(index));
    }

    /// <summary>Reads <paramref name="buffer"/>'s length of bytes at <paramref name="offset"/>; a short file reads as zeros past its end.</summary>
    public void ReadExactly(Span<byte> buffer, long offset)
    {
        for (var read = 0; read < buffer.Length;)
        {
            var n = RandomAccess.Read(_handle, buffer[read..], offset + read);
            if (n == 0)
            {
                buffer[read..].Clear();
                return;
            }
            read += n;
        }
    }

    /// <summary>
    /// The SHA-256 of the whole file and of each of its <paramref name="chunkSize"/>-byte chunks (what the
    /// content index builds), in one streaming pass.
    /// </summary>
    /// <returns>The whole-file hash, the chunk hashes (lowercase hex) and the number of bytes read.</returns>
    public Task<(string Sha256, string[] ChunkHashes, long Length)> ComputeHashesAsync(int chunkSize, long size, CancellationToken cancellationToken) =>
        FileHasher.HashAsync(_handle, chunkSize, size, cancellationToken);

    /// <summary>The file's last write time now, UTC.</summary>
    public DateTime LastWriteTimeUtc => File.GetLastWriteTimeUtc(_handle);

    /// <summary>Flushes the file's data to the device before it is renamed into the share.</summary>
    public void FlushToDisk() => RandomAccess.FlushToDisk(_handle);

    /// <inheritdoc />
    public void Dispose() => _handle.Dispose();
}
