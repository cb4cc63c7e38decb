namespace P2PMesh.Core.Content.Internal;

/// <summary>The persisted hash cache, <c>&lt;StateDirectory&gt;/index.json</c>.</summary>
internal sealed class HashCacheDocument
{
    /// <summary>The format version this code writes and reads; any other is ignored.</summary>
    public const int CurrentVersion = 1;

    public int Version { get; set; }

    public List<HashCacheEntry>? Files { get; set; }
}
