using System.Security.Cryptography;

namespace P2PMesh.Core.Content.Internal;

/// <summary>
/// The SHA-256 (FIPS 180-4) of a byte stream and of each of its fixed-size chunks, fed in pieces of any
/// length: what the index's manifest holds, computed as the bytes go by (a file being read, an upload
/// being received).
/// </summary>
internal sealed class ChunkedSha256 : IDisposable
{
    private readonly IncrementalHash _whole = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly IncrementalHash _chunk = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly List<string> _chunks;
    private readonly int _chunkSize;
    private int _inChunk;

    /// <param name="chunkSize">The chunk length in bytes (the last chunk may be shorter).</param>
    /// <param name="expectedLength">How many bytes are expected; only sizes the chunk list.</param>
    public ChunkedSha256(int chunkSize, long expectedLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkSize);
        _chunkSize = chunkSize;
        _chunks = new List<string>((int)Math.Min(((Math.Max(expectedLength, 0) + chunkSize - 1) / chunkSize) + 1, 1 << 20));
    }

    /// <summary>How many bytes have been appended.</summary>
    public long Length { get; private set; }

    /// <summary>Feeds the next <paramref name="data"/>.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        _whole.AppendData(data);
        Length += data.Length;
        while (!data.IsEmpty)
        {
            var take = Math.Min(data.Length, _chunkSize - _inChunk);
            _chunk.AppendData(data[..take]);
            _inChunk += take;
            data = data[take..];
            if (_inChunk == _chunkSize)
            {
                EndChunk();
            }
        }
    }

    /// <summary>Ends the stream; call once, after the last <see cref="Append"/>.</summary>
    /// <returns>The whole-stream hash and the chunk hashes, lowercase hex.</returns>
    public (string Sha256, string[] ChunkHashes) Complete()
    {
        if (_inChunk > 0)
        {
            EndChunk();
        }
        return (ContentHash.ToHex(_whole.GetHashAndReset()), _chunks.ToArray());
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _whole.Dispose();
        _chunk.Dispose();
    }

    private void EndChunk()
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        _chunk.GetHashAndReset(digest);
        _chunks.Add(ContentHash.ToHex(digest));
        _inChunk = 0;
    }
}
