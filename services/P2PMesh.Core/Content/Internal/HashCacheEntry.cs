namespace P2PMesh.Core.Content.Internal;

/// <summary>
/// One cached file: reused while the file's (name, size, last write ticks) and the configured chunk size
/// are unchanged.
/// </summary>
internal sealed class HashCacheEntry
{
    public string? Name { get; set; }

    public long Size { get; set; }

    /// <summary>Last write time, UTC, in <see cref="DateTime.Ticks"/> (100 ns).</summary>
    public long LastWriteTicks { get; set; }

    public int ChunkSize { get; set; }

    public string? Sha256 { get; set; }

    public string[]? Chunks { get; set; }
}
