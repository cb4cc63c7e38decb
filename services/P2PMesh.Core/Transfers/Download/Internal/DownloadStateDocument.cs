namespace P2PMesh.Core.Transfers.Download.Internal;

/// <summary>
/// The persisted state of a download, <c>&lt;StateDirectory&gt;/downloads/&lt;sha256&gt;.state</c>: the
/// manifest's shape and which chunks of the <c>.part</c> file are complete. Small (one bit per chunk);
/// the chunk hashes themselves are not stored: completed chunks are re-verified against whatever
/// manifest the next run accepts.
/// </summary>
internal sealed class DownloadStateDocument
{
    /// <summary>The format version this code writes and reads; any other is ignored.</summary>
    public const int CurrentVersion = 1;

    public int Version { get; set; }

    /// <summary>SHA-256 of the whole file, lowercase hex.</summary>
    public string? Sha256 { get; set; }

    /// <summary>The manifest's size in bytes.</summary>
    public long Size { get; set; }

    /// <summary>The manifest's chunk size in bytes.</summary>
    public int ChunkSize { get; set; }

    /// <summary>The manifest's chunk count.</summary>
    public int ChunkCount { get; set; }

    /// <summary>The completed chunks: <see cref="ChunkBitmap.ToBase64"/>.</summary>
    public string? Completed { get; set; }
}
