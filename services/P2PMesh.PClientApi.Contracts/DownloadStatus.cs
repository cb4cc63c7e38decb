namespace P2PMesh.PClientApi.Contracts;

/// <summary>A download job as <c>GET /api/downloads/{id}</c> reports it.</summary>
/// <remarks>
/// README.md, REST API: also the answer of <c>POST /api/downloads</c> (202) and <c>DELETE /api/downloads/{id}</c>,
/// and the elements of <c>GET /api/downloads</c>. <see cref="Id"/> is written as a lowercase GUID with hyphens.
/// </remarks>
/// <param name="Id">The job id.</param>
/// <param name="Sha256">The file's SHA-256.</param>
/// <param name="State">pending, running, verifying, completed, failed or cancelled.</param>
/// <param name="TotalBytes">The file's size, once a manifest is known.</param>
/// <param name="BytesDone">Verified bytes on disk (resumed ones included).</param>
/// <param name="RateBytesPerSecond">Recent transfer rate, bytes per second.</param>
/// <param name="ChunksTotal">Chunks in the file, once known.</param>
/// <param name="ChunksDone">Chunks verified and written.</param>
/// <param name="FileName">The name in this peer's share, when completed.</param>
/// <param name="Error">Why it failed, when it did.</param>
/// <param name="Sources">What each source served, and why it was dropped if it was.</param>
/// <param name="AlreadyShared">
/// True when the job found the content already in this peer's share (under <see cref="FileName"/>) and completed
/// at once, downloading nothing (no manifest, no chunks, no source served anything); false otherwise.
/// </param>
/// <param name="ChunksResumed">
/// Chunks found verified on disk from an earlier run when this run accepted its manifest (a download cut short by a
/// restart or cancelled and started again): they are not fetched again.
/// </param>
/// <param name="BytesFetched">Bytes of verified chunks this run fetched from sources (resumed chunks not counted).</param>
public sealed record DownloadStatus(
    Guid Id,
    string Sha256,
    string State,
    long? TotalBytes,
    long BytesDone,
    double RateBytesPerSecond,
    int? ChunksTotal,
    int ChunksDone,
    string? FileName,
    string? Error,
    IReadOnlyList<DownloadSourceStatus> Sources,
    bool AlreadyShared = false,
    int ChunksResumed = 0,
    long BytesFetched = 0);
