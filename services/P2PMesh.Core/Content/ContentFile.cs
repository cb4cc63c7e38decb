using P2PMesh.V1;

namespace P2PMesh.Core.Content;

/// <summary>
/// One file of the share as the content index knows it: its display name, size, SHA-256 and chunk
/// manifest (docs/architecture.md, Content store: a file is identified by its SHA-256, and its manifest
/// lists the hashes of its fixed-size chunks). It carries no absolute path: use <see cref="ContentIndex.TryResolvePath"/> or
/// <see cref="ContentIndex.OpenRead"/> to reach the bytes, which re-checks that the file is still inside
/// the share.
/// </summary>
/// <param name="Name">
/// The path relative to the share root, segments separated by <c>'/'</c> (for example <c>isos/ubuntu.iso</c>).
/// A display name only: never trusted as a path.
/// </param>
/// <param name="Size">The length in bytes.</param>
/// <param name="Sha256">SHA-256 of the whole file: 64 lowercase hex digits.</param>
/// <param name="ChunkSize">The manifest's chunk length in bytes; every chunk but the last is this long.</param>
/// <param name="ChunkHashes">
/// SHA-256 of each chunk in order, 64 lowercase hex digits each; ceil(<paramref name="Size"/> /
/// <paramref name="ChunkSize"/>) entries (none for an empty file).
/// </param>
/// <param name="LastWriteTimeUtc">The file's last write time (UTC) when it was hashed.</param>
public sealed record ContentFile(
    string Name,
    long Size,
    string Sha256,
    int ChunkSize,
    IReadOnlyList<string> ChunkHashes,
    DateTime LastWriteTimeUtc)
{
    /// <summary>
    /// Value equality over every member, comparing <see cref="ChunkHashes"/> element by element (the
    /// compiler-generated equality would compare the list by reference).
    /// </summary>
    public bool Equals(ContentFile? other) =>
        ReferenceEquals(this, other) ||
        (other is not null &&
         Size == other.Size &&
         ChunkSize == other.ChunkSize &&
         LastWriteTimeUtc == other.LastWriteTimeUtc &&
         string.Equals(Name, other.Name, StringComparison.Ordinal) &&
         string.Equals(Sha256, other.Sha256, StringComparison.Ordinal) &&
         ChunkHashes.SequenceEqual(other.ChunkHashes, StringComparer.Ordinal));

    /// <summary>The file as the wire lists it: a <c>SharedFile</c> (protos/p2pmesh/v1/peer.proto) without the manifest.</summary>
    public SharedFile ToSharedFile() => new()
    {
        Name = Name,
        Size = (ulong)Size,
        Sha256 = Sha256,
        ChunkSize = (uint)ChunkSize,
    };

    /// <summary>
    /// The file as a search answers it: a <c>Hit</c> (protos/p2pmesh/v1/peer.proto) held by <paramref name="holder"/>,
    /// reached over <paramref name="path"/> (peer ids from the origin to the holder, both included) in
    /// <paramref name="hops"/> hops. Flood hits, and mom answers (path = the holder alone, 0 hops).
    /// </summary>
    public Hit ToHit(PeerInfo holder, IEnumerable<string> path, uint hops)
    {
        var hit = new Hit
        {
            Holder = holder,
            Name = Name,
            Size = (ulong)Size,
            Sha256 = Sha256,
            ChunkSize = (uint)ChunkSize,
            Hops = hops,
        };
        hit.Path.AddRange(path);
        return hit;
    }

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, Size, Sha256, ChunkSize, LastWriteTimeUtc);
}
