using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using P2PMesh.V1;

namespace P2PMesh.Contracts;

/// <summary>
/// The digest of a peer's index (<c>SendIndexRequest.digest</c> in protos/p2pmesh/v1/directory.proto; docs/architecture.md,
/// Directory): what the PServer and the directory each compute over their copy of the peer's index, so a missed change
/// shows up as different digests and the peer sends its full index again.
/// </summary>
/// <remarks>
/// <para>
/// The digest is SHA-256 over the entries sorted by <c>name</c> in ordinal order (UTF-16 code units, as
/// <see cref="StringComparer.Ordinal"/>), each contributing one canonical line in UTF-8:
/// </para>
/// <code>&lt;size&gt; SP &lt;sha256&gt; SP &lt;chunk_size&gt; SP &lt;name byte count&gt; SP &lt;name&gt; LF</code>
/// <para>
/// where <c>size</c>, <c>chunk_size</c> and the name's byte count (of its UTF-8 encoding) are decimal without sign or
/// leading zeros, <c>sha256</c> is the entry's 64 hex digits as sent (the wire sends lowercase), SP is one space (0x20)
/// and LF one line feed (0x0A). The name comes last and length-prefixed, so a name holding spaces or line feeds (Unix
/// allows both) cannot make two different indexes hash alike. The result is 64 lowercase hex digits; an empty index
/// hashes to SHA-256 of no bytes (<c>e3b0c442…b855</c>). Names are unique within an index.
/// </para>
/// </remarks>
public static class IndexDigest
{
    /// <summary>The digest of <paramref name="entries"/> (in any order): 64 lowercase hex digits.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="entries"/> or an entry is <c>null</c>.</exception>
    public static string Compute(IEnumerable<SharedFile> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var sorted = entries.ToArray();
        Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var line = new StringBuilder();
        foreach (var entry in sorted)
        {
            ArgumentNullException.ThrowIfNull(entry, nameof(entries));
            line.Clear()
                .Append(entry.Size.ToString(CultureInfo.InvariantCulture)).Append(' ')
                .Append(entry.Sha256).Append(' ')
                .Append(entry.ChunkSize.ToString(CultureInfo.InvariantCulture)).Append(' ')
                .Append(Encoding.UTF8.GetByteCount(entry.Name).ToString(CultureInfo.InvariantCulture)).Append(' ')
                .Append(entry.Name).Append('\n');
            hash.AppendData(Encoding.UTF8.GetBytes(line.ToString()));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
