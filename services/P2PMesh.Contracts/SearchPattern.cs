using System.Text;
using System.Text.RegularExpressions;

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

    private readonly string _text;

    // Compiled on the first glob match, not in Parse: every peer parses (validates) each query it
    // receives, duplicates included, but only a first arrival searches its share.
    private Regex? _glob;

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
        // A race compiles it twice at worst; Regex is immutable and thread-safe.
        var glob = _glob ??= CompileGlob(_text);
        return glob.IsMatch(name.AsSpan()[(name.LastIndexOf('/') + 1)..]);
    }

    /// <summary>Returns the pattern as it was parsed.</summary>
    public override string ToString() => _text;

    // The glob becomes an anchored regex in which everything but * and ? is escaped, so no character of
    // the pattern has regex meaning. NonBacktracking makes matching linear in the name's length whatever
    // the pattern; Singleline lets '.' (from '?' and '*') match '\n', which Unix file names may contain.
    private static Regex CompileGlob(string glob)
    {
        var regex = new StringBuilder(glob.Length + 8).Append(@"\A");
        foreach (var c in glob)
        {
            regex.Append(c switch
            {
                '*' => ".*",
                '?' => ".",
                _ => Regex.Escape(c.ToString()),
            });
        }
        regex.Append(@"\z");
        return new Regex(
            regex.ToString(),
            RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.NonBacktracking);
    }
}
