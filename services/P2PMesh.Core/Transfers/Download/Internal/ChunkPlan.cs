using P2PMesh.Core.Content;
using P2PMesh.V1;

namespace P2PMesh.Core.Transfers.Download.Internal;

/// <summary>
/// A checked manifest (<see cref="ManifestCheck"/>) as the engine uses it: where each chunk lies in the
/// file, how long it is, and its SHA-256 as raw bytes (32 per chunk, in one array).
/// </summary>
internal sealed class ChunkPlan
{
    private const int HashLength = 32;
    private readonly byte[] _hashes;

    /// <param name="manifest">A manifest that passed <see cref="ManifestCheck.Problem"/>.</param>
    public ChunkPlan(Manifest manifest)
    {
        Sha256 = manifest.Sha256.ToLowerInvariant();
        Size = (long)manifest.Size;
        ChunkSize = (int)manifest.ChunkSize;
        Count = manifest.ChunkSha256.Count;
        Name = manifest.Name;
        _hashes = new byte[Count * HashLength];
        for (var i = 0; i < Count; i++)
        {
            Convert.FromHexString(manifest.ChunkSha256[i], _hashes.AsSpan(i * HashLength, HashLength), out _, out _);
        }
    }

    /// <summary>SHA-256 of the whole file, lowercase hex.</summary>
    public string Sha256 { get; }

    /// <summary>The file's size in bytes.</summary>
    public long Size { get; }

    /// <summary>The chunk length in bytes (the last chunk may be shorter).</summary>
    public int ChunkSize { get; }

    /// <summary>How many chunks the file has (0 for an empty file).</summary>
    public int Count { get; }

    /// <summary>The holder's display name for the file ('/'-separated path), untrusted.</summary>
    public string Name { get; }

    /// <summary>The longest chunk: the buffer length one chunk needs.</summary>
    public int MaxChunkLength => (int)Math.Min(ChunkSize, Size);

    /// <summary>Byte offset of chunk <paramref name="index"/> in the file.</summary>
    public long Offset(int index) => (long)index * ChunkSize;

    /// <summary>Length in bytes of chunk <paramref name="index"/>.</summary>
    public int Length(int index) => (int)Math.Min(ChunkSize, Size - Offset(index));

    /// <summary>The manifest's SHA-256 of chunk <paramref name="index"/>, 32 bytes.</summary>
    public ReadOnlySpan<byte> Hash(int index) => _hashes.AsSpan(index * HashLength, HashLength);

    /// <summary>The manifest's chunk hashes, lowercase hex, in order.</summary>
    public string[] HexHashes()
    {
        var hex = new string[Count];
        for (var i = 0; i < Count; i++)
        {
            hex[i] = ContentHash.ToHex(Hash(i));
        }
        return hex;
    }

    /// <summary>The total length of the chunks set in <paramref name="chunks"/>, in bytes.</summary>
    public long BytesIn(ChunkBitmap chunks)
    {
        long bytes = 0;
        for (var i = 0; i < Count; i++)
        {
            if (chunks.Get(i))
            {
                bytes += Length(i);
            }
        }
        return bytes;
    }
}
