namespace P2PMesh.Core.Transfers.Download;

/// <summary>How a <see cref="DownloadJob"/> ended (the value of <see cref="DownloadJob.Completion"/>).</summary>
public sealed record DownloadResult
{
    /// <summary>The job's id.</summary>
    public required Guid Id { get; init; }

    /// <summary>SHA-256 of the file: 64 lowercase hex digits.</summary>
    public required string Sha256 { get; init; }

    /// <summary><see cref="DownloadState.Completed"/>, <see cref="DownloadState.Failed"/> or <see cref="DownloadState.Cancelled"/>.</summary>
    public required DownloadState State { get; init; }

    /// <summary>The file's name in the share (no directory) when completed; otherwise <c>null</c>.</summary>
    public string? FileName { get; init; }

    /// <summary>The file's size in bytes when completed; otherwise <c>null</c>.</summary>
    public long? Size { get; init; }

    /// <summary>Why the job failed; <c>null</c> unless <see cref="DownloadState.Failed"/>.</summary>
    public string? Error { get; init; }
}
