using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace P2PMesh.Core.Content.Internal;

/// <summary>
/// Computes a file's SHA-256 (FIPS 180-4) and its per-chunk SHA-256 manifest in a single streaming pass
/// (<see cref="ChunkedSha256"/>) with a pooled buffer, so files of any size are hashed in constant memory.
/// </summary>
internal static class FileHasher
{
    /// <summary>The SHA-256 of no bytes (an empty file, which is never opened).</summary>
    public const string EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private const int MaxBufferSize = 1024 * 1024;

    /// <summary>Reads <paramref name="stream"/> to its end.</summary>
    /// <returns>The whole-stream hash, the chunk hashes (lowercase hex) and the number of bytes read.</returns>
    public static Task<(string Sha256, string[] ChunkHashes, long Length)> HashAsync(
        Stream stream, int chunkSize, long expectedLength, CancellationToken cancellationToken) =>
        HashAsync((buffer, _, token) => stream.ReadAsync(buffer, token), chunkSize, expectedLength, cancellationToken);

    /// <summary>Reads the file behind <paramref name="handle"/> from offset 0 to its end (positional reads).</summary>
    /// <returns>The whole-file hash, the chunk hashes (lowercase hex) and the number of bytes read.</returns>
    public static Task<(string Sha256, string[] ChunkHashes, long Length)> HashAsync(
        SafeFileHandle handle, int chunkSize, long expectedLength, CancellationToken cancellationToken) =>
        HashAsync((buffer, offset, token) => RandomAccess.ReadAsync(handle, buffer, offset, token), chunkSize, expectedLength, cancellationToken);

    private static async Task<(string Sha256, string[] ChunkHashes, long Length)> HashAsync(
        Func<Memory<byte>, long, CancellationToken, ValueTask<int>> read, int chunkSize, long expectedLength, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(chunkSize, MaxBufferSize));
        try
        {
            using var hasher = new ChunkedSha256(chunkSize, expectedLength);
            int n;
            while ((n = await read(buffer.AsMemory(0, Math.Min(chunkSize, MaxBufferSize)), hasher.Length, cancellationToken).ConfigureAwait(false)) > 0)
            {
                hasher.Append(buffer.AsSpan(0, n));
            }
            var (sha256, chunks) = hasher.Complete();
            return (sha256, chunks, hasher.Length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
