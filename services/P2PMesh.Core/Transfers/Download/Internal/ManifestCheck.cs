using P2PMesh.Core.Content;
using P2PMesh.Core.Content.Internal;
using P2PMesh.V1;

namespace P2PMesh.Core.Transfers.Download.Internal;

/// <summary>
/// The structural checks a downloader makes on a <c>Manifest</c> (protos/p2pmesh/v1/peer.proto) before
/// trusting it with any bytes. Whether its chunk hashes are honest is only known once the whole file
/// hashes to the requested SHA-256.
/// </summary>
internal static class ManifestCheck
{
    /// <summary>What is wrong with <paramref name="manifest"/> as the manifest of <paramref name="sha256"/>; <c>null</c> when nothing.</summary>
    /// <param name="manifest">The manifest a source sent.</param>
    /// <param name="sha256">The requested hash, 64 lowercase hex digits.</param>
    public static string? Problem(Manifest manifest, string sha256)
    {
        if (!string.Equals(manifest.Sha256, sha256, StringComparison.OrdinalIgnoreCase))
        {
            return $"it is for sha256 '{Clip(manifest.Sha256)}', not {sha256}";
        }
        // Chunk buffers are sized by chunk_size: never more than an honest peer can be configured to use.
        if (manifest.ChunkSize is < 1 or > ContentIndexOptions.MaxChunkSize)
        {
            return $"chunk_size {manifest.ChunkSize} is outside 1..{ContentIndexOptions.MaxChunkSize}";
        }
        if (manifest.Size > long.MaxValue)
        {
            return $"size {manifest.Size} is too large";
        }
        var expected = manifest.Size / manifest.ChunkSize + (manifest.Size % manifest.ChunkSize == 0 ? 0UL : 1UL);
        if ((ulong)manifest.ChunkSha256.Count != expected)
        {
            return $"it lists {manifest.ChunkSha256.Count} chunk hashes; size {manifest.Size} in chunks of {manifest.ChunkSize} needs {expected}";
        }
        for (var i = 0; i < manifest.ChunkSha256.Count; i++)
        {
            if (!ContentHash.IsSha256Hex(manifest.ChunkSha256[i]))
            {
                return $"chunk hash {i} is not 64 hex digits";
            }
        }
        if (manifest.Size == 0 && sha256 != FileHasher.EmptySha256)
        {
            return "it says the file is empty, but that is not the SHA-256 of no bytes";
        }
        return null;
    }

    private static string Clip(string value) => value.Length <= 80 ? value : string.Concat(value.AsSpan(0, 80), "…");
}
