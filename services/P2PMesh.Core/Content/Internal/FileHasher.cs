using System.Buffers;
using System.Security.Cryptography;

namespace P2PMesh.Core.Content.Internal;

/// <summary>
/// Computes a file's SHA-256 (FIPS 180-4) and its per-chunk SHA-256 manifest in a single streaming pass
/// with a pooled buffer, so files of any size are hashed in constant memory.
/// </summary>
internal static class FileHasher
{
    /// <summary>The SHA-256 of no bytes (an empty file, which is never opened).</summary>
    public const string EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private const int MaxBufferSize = 1024 * 1024;

    /// <summary>Reads <paramref name="stream"/> to its end.</summary>
    /// <returns>The whole-stream hash, the chunk hashes (lowercase hex) and the number of bytes read.</returns>
    public static async Task<(string Sha256, string[] ChunkHashes, long Length)> HashAsync(
        Stream stream, int chunkSize, long expectedLength, CancellationToken cancellationToken)
    {
        var bufferSize = Math.Min(chunkSize, MaxBufferSize);
        var buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
        var chunks = new List<string>((int)Math.Min(((Math.Max(expectedLength, 0) + chunkSize - 1) / chunkSize) + 1, 1 << 20));
        var digest = new byte[SHA256.HashSizeInBytes];
        try
        {
            using var whole = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using var chunk = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long length = 0;
            var inChunk = 0;
            while (true)
            {
                // Never read across a chunk boundary, so each read feeds exactly one chunk.
                var read = await stream.ReadAsync(buffer.AsMemory(0, Math.Min(bufferSize, chunkSize - inChunk)), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }
                whole.AppendData(buffer, 0, read);
                chunk.AppendData(buffer, 0, read);
                length += read;
                inChunk += read;
                if (inChunk == chunkSize)
                {
                    chunk.GetHashAndReset(digest);
                    chunks.Add(Convert.ToHexStringLower(digest));
                    inChunk = 0;
                }
            }
            if (inChunk > 0)
            {
                chunk.GetHashAndReset(digest);
                chunks.Add(Convert.ToHexStringLower(digest));
            }
            whole.GetHashAndReset(digest);
            return (Convert.ToHexStringLower(digest), chunks.ToArray(), length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
