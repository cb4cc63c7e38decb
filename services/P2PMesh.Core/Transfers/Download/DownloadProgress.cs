namespace P2PMesh.Core.Transfers.Download;

/// <summary>
/// An immutable snapshot of a <see cref="DownloadJob"/> (what <c>GET /api/downloads/{id}</c> returns).
/// Times come from the injected <see cref="TimeProvider"/>; sizes are in bytes.
/// </summary>
public sealed record DownloadProgress
{
    /// <summary>The job's id.</summary>
    public required Guid Id { get; init; }

    /// <summary>SHA-256 of the file: 64 lowercase hex digits.</summary>
    public required string Sha256 { get; init; }

    /// <summary>Where the job is.</summary>
    public DownloadState State { get; init; }

    /// <summary>The file's size from the accepted manifest; <c>null</c> until a manifest is accepted.</summary>
    public long? TotalBytes { get; init; }

    /// <summary>Bytes of verified chunks on disk, including those kept from an earlier run.</summary>
    public long BytesDone { get; init; }

    /// <summary>Bytes of verified chunks fetched from sources by this run.</summary>
    public long BytesFetched { get; init; }

    /// <summary>The fetch rate over the last few seconds (until the job finished), in bytes per second.</summary>
    public double RateBytesPerSecond { get; init; }

    /// <summary>The number of chunks in the accepted manifest; <c>null</c> until a manifest is accepted.</summary>
    public int? ChunksTotal { get; init; }

    /// <summary>Verified chunks on disk, including those kept from an earlier run.</summary>
    public int ChunksDone { get; init; }

    /// <summary>Chunks found complete and verified on disk when the current manifest was accepted (not fetched again).</summary>
    public int ChunksResumed { get; init; }

    /// <summary>When the job was started.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>When the job reached a final state; <c>null</c> before.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Why the job failed (with each source's drop reason); <c>null</c> unless <see cref="DownloadState.Failed"/>.</summary>
    public string? Error { get; init; }

    /// <summary>The file's name in the share (no directory); <c>null</c> until <see cref="DownloadState.Completed"/>.</summary>
    public string? FileName { get; init; }

    /// <summary>
    /// Whether the job completed at once because the share already held a file with this SHA-256 (its first step,
    /// before any source is asked): <see cref="FileName"/> is that file, nothing was fetched and no manifest was accepted.
    /// </summary>
    public bool AlreadyShared { get; init; }

    /// <summary>Every source in the order given, with what it served and whether it was dropped.</summary>
    public required IReadOnlyList<DownloadSourceProgress> Sources { get; init; }
}
