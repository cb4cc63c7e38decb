using P2PMesh.Core.Content;
using P2PMesh.V1;

namespace P2PMesh.Core.Transfers;

/// <summary>Builds the wire <see cref="Manifest"/> (protos/p2pmesh/v1/peer.proto) of an indexed file.</summary>
public static class ManifestMapper
{
    /// <summary>The manifest of <paramref name="file"/>: hash, size, chunk size, chunk hashes, name.</summary>
    public static Manifest ToManifest(ContentFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var manifest = new Manifest { Sha256 = file.Sha256, Size = (ulong)file.Size, ChunkSize = (uint)file.ChunkSize, Name = file.Name };
        manifest.ChunkSha256.AddRange(file.ChunkHashes);
        return manifest;
    }
}
