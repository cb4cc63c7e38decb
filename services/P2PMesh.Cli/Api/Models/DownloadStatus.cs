namespace P2PMesh.Cli.Api.Models;

/// <summary>
/// A download job (<c>GET /api/downloads/{id}</c>). <see cref="State"/> is <c>pending</c>, <c>running</c>,
/// <c>verifying</c>, <c>completed</c>, <c>failed</c> or <c>cancelled</c>; <see cref="FileName"/> is the name
/// it got in the share once completed; <see cref="TotalBytes"/> and <see cref="ChunksTotal"/> are null until a manifest is known; <see cref="Error"/> says why it failed.
/// </summary>
internal sealed record DownloadStatus(
    string Id,
    string Sha256,
    string State,
    long? TotalBytes,
    long BytesDone,
    double RateBytesPerSecond,
    int? ChunksTotal,
    int ChunksDone,
    string? FileName,
    string? Error,
    IReadOnlyList<DownloadSource>? Sources)
{
    /// <summary>Whether the job will not change any more.</summary>
    public bool IsFinished => State is DownloadStates.Completed or DownloadStates.Failed or DownloadStates.Cancelled;
}
