using P2PMesh.Core.Transfers.Download.Internal;

namespace P2PMesh.Core.Transfers.Download;

/// <summary>
/// One download started by <see cref="DownloadManager.Start"/>: a file, by SHA-256, fetched in verified
/// chunks from a set of sources (docs/architecture.md, Transfers). Poll <see cref="Snapshot"/> for progress, await
/// <see cref="Completion"/> for the outcome, or cancel it with <see cref="DownloadManager.Cancel"/>.
/// Thread-safe.
/// </summary>
public sealed class DownloadJob
{
    private static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(5);

    private readonly TaskCompletionSource<DownloadResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TimeProvider _timeProvider;
    private readonly RateMeter _rate;
    private readonly Lock _lock = new();
    private DownloadState _state = DownloadState.Pending;
    private long? _totalBytes;
    private int? _chunksTotal;
    private bool _alreadyShared;
    private long _bytesDone;
    private int _chunksDone;
    private int _chunksResumed;
    private long _bytesFetched;
    private DateTimeOffset? _finishedAt;
    private long _finishedTimestamp;
    private string? _error;
    private string? _fileName;

    internal DownloadJob(string sha256, IReadOnlyList<SourceTracker> sources, string? requestedName, TimeProvider timeProvider)
    {
        Id = Guid.NewGuid();
        Sha256 = sha256;
        Sources = sources;
        RequestedName = requestedName;
        _timeProvider = timeProvider;
        _rate = new RateMeter(timeProvider, RateWindow);
        StartedAt = timeProvider.GetUtcNow();
    }

    /// <summary>The job's id (what <c>POST /api/downloads</c> answers).</summary>
    public Guid Id { get; }

    /// <summary>SHA-256 of the file: 64 lowercase hex digits.</summary>
    public string Sha256 { get; }

    /// <summary>When the job was started (by the injected <see cref="TimeProvider"/>).</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>
    /// Completes when the job reaches a final state, with <see cref="DownloadResult.State"/>
    /// <see cref="DownloadState.Completed"/>, <see cref="DownloadState.Failed"/> or
    /// <see cref="DownloadState.Cancelled"/>. Never faults and is never cancelled.
    /// </summary>
    public Task<DownloadResult> Completion => _completion.Task;

    internal IReadOnlyList<SourceTracker> Sources { get; }

    internal string? RequestedName { get; }

    internal CancellationTokenSource Cancellation { get; } = new();

    internal bool IsFinished => _completion.Task.IsCompleted;

    /// <summary>The job's progress now: an immutable copy.</summary>
    public DownloadProgress Snapshot()
    {
        lock (_lock)
        {
            return new DownloadProgress
            {
                Id = Id,
                Sha256 = Sha256,
                State = _state,
                TotalBytes = _totalBytes,
                BytesDone = _bytesDone,
                BytesFetched = _bytesFetched,
                RateBytesPerSecond = _rate.BytesPerSecond(_bytesFetched, _finishedAt is null ? null : _finishedTimestamp),
                ChunksTotal = _chunksTotal,
                ChunksDone = _chunksDone,
                ChunksResumed = _chunksResumed,
                StartedAt = StartedAt,
                FinishedAt = _finishedAt,
                Error = _error,
                FileName = _fileName,
                AlreadyShared = _alreadyShared,
                Sources = [.. Sources.Select(s => s.Snapshot())],
            };
        }
    }

    internal void SetState(DownloadState state)
    {
        lock (_lock)
        {
            _state = state;
        }
    }

    /// <summary>A manifest was accepted: its totals, and what was found complete on disk.</summary>
    internal void SetPlan(long totalBytes, int chunksTotal, int chunksResumed, long bytesResumed)
    {
        lock (_lock)
        {
            _totalBytes = totalBytes;
            _chunksTotal = chunksTotal;
            _chunksResumed = chunksResumed;
            _chunksDone = chunksResumed;
            _bytesDone = bytesResumed;
        }
    }

    /// <summary>A fetched chunk of <paramref name="bytes"/> bytes was verified and written.</summary>
    internal void AddFetched(int bytes)
    {
        long fetched;
        lock (_lock)
        {
            _chunksDone++;
            _bytesDone += bytes;
            fetched = _bytesFetched += bytes;
        }
        _rate.Record(fetched);
    }

    /// <summary>Completes at once: the share already holds this content as <paramref name="fileName"/> (<paramref name="size"/> bytes).</summary>
    internal DownloadResult FinishAlreadyShared(string fileName, long size)
    {
        lock (_lock)
        {
            _alreadyShared = true;
        }
        return Finish(DownloadState.Completed, fileName, size);
    }

    /// <summary>Moves to a final state and completes <see cref="Completion"/>.</summary>
    internal DownloadResult Finish(DownloadState state, string? fileName = null, long? size = null, string? error = null)
    {
        lock (_lock)
        {
            _state = state;
            _fileName = fileName;
            _error = error;
            _finishedAt = _timeProvider.GetUtcNow();
            _finishedTimestamp = _timeProvider.GetTimestamp();
        }
        var result = new DownloadResult { Id = Id, Sha256 = Sha256, State = state, FileName = fileName, Size = size, Error = error };
        _completion.TrySetResult(result);
        return result;
    }
}
