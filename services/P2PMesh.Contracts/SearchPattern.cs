namespace P2PMesh.Contracts;

/// <summary>
/// A parsed search pattern (docs/architecture.md, Flood search; <c>SearchRequest.pattern</c> in
/// protos/p2pmesh/v1/peer.proto): either <c>sha256:&lt;64 hex digits&gt;</c>, an exact whole-file hash,
/// or a case-insensitive glob on the file name (the last segment of a share-relative name such as
/// <c>SharedFile.name</c>, never its directories) where <c>*</c> matches any run of characters, <c>?</c> exactly one, and every other
/// character only itself (<c>[a].txt</c> matches the name <c>[a].txt</c>). Immutable and thread-safe. One matcher for
/// the whole mesh: the PServer's flood (P2PMesh.Core) and the directory's <c>Query</c>
/// (protos/p2pmesh/v1/directory.proto) both match with it.
/// </summary>
public sealed class SearchPattern
{
    /// <summary>The longest accepted pattern, in UTF-16 code units.</summary>
    public const int MaxLength = 1024;

    /// <summary>The prefix of a hash pattern (matched case-insensitively).</summary>
    public const string Sha256Prefix = "sha256:";

    /// <summary>
    /// The most <c>*</c> wildcards a glob may hold. Matching costs at most name length × pattern length character
    /// comparisons whatever the count (see <see cref="Matches"/>); the cap keeps hostile patterns such as
    /// <c>*a*a*a…*b</c> short of that worst case at every peer a flood reaches.
    /// </summary>
    public const int MaxWildcards = 16;

    private readonly string _text;

    private SearchPattern(string text, string? sha256)
    {
        _text = text;
        Sha256 = sha256;
    }

    /// <summary>Whether this is a <c>sha256:</c> pattern.</summary>
    public bool IsSha256 => Sha256 is not null;

    /// <summary>For a hash pattern, the hash as 64 lowercase hex digits; otherwise <c>null</c>.</summary>
    public string? Sha256 { get; }

    /// <summary>Parses <paramref name="pattern"/>.</summary>
    /// <param name="pattern">A glob on file names, or <c>sha256:</c> and 64 hex digits (either case).</param>
    /// <returns>The parsed pattern.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="pattern"/> is <c>null</c>.</exception>
    /// <exception cref="FormatException">
    /// The pattern is empty or white space, longer than <see cref="MaxLength"/>, a <c>sha256:</c> pattern
    /// without exactly 64 hex digits, or a glob containing <c>'/'</c> or <c>'\'</c> (patterns match file
    /// names, not paths). The message says which.
    /// </exception>
    public static SearchPattern Parse(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (string.IsNullOrWhiteSpace(pattern))
        {
            throw new FormatException("The pattern is empty.");
        }
        if (pattern.Length > MaxLength)
        {
            throw new FormatException($"The pattern is {pattern.Length} characters long; at most {MaxLength} are allowed.");
        }
        if (pattern.StartsWith(Sha256Prefix, StringComparison.OrdinalIgnoreCase))
        {
            var hex = pattern.AsSpan(Sha256Prefix.Length);
            if (!Sha256Hex.IsValid(hex))
            {
                throw new FormatException($"A '{Sha256Prefix}' pattern needs exactly 64 hex digits after the prefix.");
            }
            return new SearchPattern(pattern, hex.ToString().ToLowerInvariant());
        }
        if (pattern.AsSpan().IndexOfAny('/', '\\') >= 0)
        {
            throw new FormatException("A glob pattern matches file names and must not contain '/' or '\\'.");
        }
        var wildcards = pattern.AsSpan().Count('*');
        if (wildcards > MaxWildcards)
        {
            throw new FormatException($"The pattern has {wildcards} '*' wildcards; at most {MaxWildcards} are allowed.");
        }
        return new SearchPattern(pattern, null);
    }

    /// <summary>
    /// Whether a file matches: for a hash pattern, its <paramref name="sha256"/> equals the hash (ignoring case); for a
    /// glob, its file name (the part of <paramref name="name"/> after the last <c>'/'</c>) matches.
    /// </summary>
    /// <param name="name">The share-relative name, <c>'/'</c>-separated (e.g. <c>isos/ubuntu.iso</c>).</param>
    /// <param name="sha256">The file's SHA-256, 64 hex digits.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="sha256"/> is <c>null</c>.</exception>
    public bool Matches(string name, string sha256)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(sha256);
        if (Sha256 is not null)
        {
            return string.Equals(sha256, Sha256, StringComparison.OrdinalIgnoreCase);
        }
        return GlobMatches(_text, name.AsSpan()[(name.LastIndexOf('/') + 1)..], out _);
    }

    /// <summary>Returns the pattern as it was parsed.</summary>
    public override string ToString() => _text;

    /// <summary>
    /// Matches <paramref name="fileName"/> against <paramref name="glob"/> without backtracking: the glob is split at its
    /// <c>*</c> into segments (in which <c>?</c> matches any one character); the first segment must match at the start,
    /// the last at the end, and every middle one at its leftmost occurrence after the previous one (the leftmost
    /// occurrence is always the best choice, so no earlier choice is ever revisited). Cost: at most
    /// <c>fileName.Length × glob.Length</c> character comparisons, counted in <paramref name="comparisons"/>.
    /// Characters compare case-insensitively (invariant culture).
    /// </summary>
    internal static bool GlobMatches(ReadOnlySpan<char> glob, ReadOnlySpan<char> fileName, out long comparisons)
    {
        comparisons = 0;
        var star = glob.IndexOf('*');
        if (star < 0)
        {
            return glob.Length == fileName.Length && SegmentMatchesAt(glob, fileName, 0, ref comparisons);
        }
        var first = glob[..star];
        var lastStar = glob.LastIndexOf('*');
        var last = glob[(lastStar + 1)..];
        if (first.Length + last.Length > fileName.Length
            || !SegmentMatchesAt(first, fileName, 0, ref comparisons)
            || !SegmentMatchesAt(last, fileName, fileName.Length - last.Length, ref comparisons))
        {
            return false;
        }
        // The middle segments, leftmost first, inside what the first and last segments left over.
        var position = first.Length;
        var end = fileName.Length - last.Length;
        var middle = star == lastStar ? [] : glob[(star + 1)..lastStar];
        while (!middle.IsEmpty)
        {
            var next = middle.IndexOf('*');
            var segment = next < 0 ? middle : middle[..next];
            middle = next < 0 ? [] : middle[(next + 1)..];
            if (segment.IsEmpty)
            {
                continue;
            }
            var found = false;
            for (; position + segment.Length <= end; position++)
            {
                if (SegmentMatchesAt(segment, fileName, position, ref comparisons))
                {
                    found = true;
                    break;
                }
            }
            if (!found)
            {
                return false;
            }
            position += segment.Length;
        }
        return true;
    }

    private static bool SegmentMatchesAt(ReadOnlySpan<char> segment, ReadOnlySpan<char> fileName, int at, ref long comparisons)
    {
        for (var i = 0; i < segment.Length; i++)
        {
            comparisons++;
            var p = segment[i];
            if (p != '?' && char.ToUpperInvariant(p) != char.ToUpperInvariant(fileName[at + i]))
            {
                return false;
            }
        }
        return true;
    }
}
