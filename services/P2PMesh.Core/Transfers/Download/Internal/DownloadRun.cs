using System.Buffers;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using P2PMesh.Core.Content;
using P2PMesh.Core.Peers;
using P2PMesh.Core.Telemetry;
using Grpc.Core;
using P2PMesh.V1;

namespace P2PMesh.Core.Transfers.Download.Internal;

/// <summary>
/// Runs one <see cref="DownloadJob"/> to its end (docs/architecture.md, Transfers): chunks spread over all
/// sources, each chunk verified against the manifest, a part file plus a state file that make the download
/// resumable across restarts and source failures, the whole-file hash checked before the final rename, and
/// the finished file in the share.
/// </summary>
/// <remarks>
/// <para>
/// Manifest: asked of the sources in order until one passes <see cref="ManifestCheck"/>; a source whose
/// call fails or whose manifest is malformed is dropped.
/// </para>
/// <para>
/// Fetch: one shared queue of missing chunk indices; each source runs
/// <see cref="DownloadOptions.MaxInFlightPerSource"/> lanes, and a lane takes the next index as soon as
/// its previous chunk is done, so faster sources take more. Each chunk is one <c>ReadChunks</c> call for
/// its byte range (ranges, not chunk indices, so a source configured with another chunk size still
/// serves the right bytes), assembled in a pooled buffer from contiguous <c>Chunk</c> messages, checked
/// against the manifest's SHA-256 and written at its offset into <c>&lt;sha256&gt;.part</c>. A failed call
/// or a bad chunk drops the source and puts its chunks in flight back in the queue. Completed chunks
/// are recorded in <c>&lt;sha256&gt;.state</c> at most every <see cref="StateSaveInterval"/> and when the
/// phase ends (also on cancellation).
/// </para>
/// <para>
/// Verify: the whole file's SHA-256, built while the chunks landed (<see cref="PrefixHash"/>: the prefix of
/// verified chunks is hashed as it grows, so only what it has not reached is hashed now; with a manifest chunk size
/// other than the index's, one pass over the <c>.part</c> computes it with the index's chunk hashes). A mismatch means the manifest lied: its source is dropped,
/// the sources dropped for disagreeing with it are reinstated, and the next source's manifest is taken,
/// re-verifying what is on disk against it. A match moves the file into the share and re-indexes; the
/// index is handed the hashes this pass proved (<see cref="ContentIndex.RecordVerifiedAsync"/>), so it
/// does not read the file again.
/// </para>
/// </remarks>
internal sealed partial class DownloadRun
{
    /// <summary>The most often the state file is rewritten while chunks arrive.</summary>
    public static readonly TimeSpan StateSaveInterval = TimeSpan.FromMilliseconds(250);

    private readonly DownloadJob _job;
    private readonly ContentIndex _index;
    private readonly PeerChannelPool _channels;
    private readonly DownloadOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly string _directory;
    private readonly string _partPath;
    private readonly string _statePath;

    private readonly Lock _doneLock = new();
    private ChunkBitmap _done = new(0);
    private bool _dirty;
    private int _lastSavedCount = -1;
    private Exception? _fatal;

    private readonly MeshMetrics? _metrics;
    private readonly ActivitySource? _transfers;

    public DownloadRun(
        DownloadJob job, ContentIndex index, PeerChannelPool channels, DownloadOptions options, TimeProvider timeProvider, ILogger logger, MeshMetrics? metrics, ActivitySource? transfers)
    {
        _job = job;
        _index = index;
        _channels = channels;
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        _metrics = metrics;
        _transfers = transfers;
        _directory = DirectoryOf(index);
        _partPath = Path.Join(_directory, $"{job.Sha256}.part");
        _statePath = Path.Join(_directory, $"{job.Sha256}.state");
    }

    private enum PlanOutcome
    {
        Completed,
        ManifestRejected,
        NoSourcesLeft,
    }

    /// <summary>Where downloads keep their <c>.part</c> and <c>.state</c> files: <c>&lt;StateDirectory&gt;/downloads</c>.</summary>
    public static string DirectoryOf(ContentIndex index) => Path.Join(index.StateDirectory, "downloads");

    /// <summary>Runs the job and finishes it; never throws.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // One span per run (a child of whatever started the download), with the file, its bytes and sources.
        using var activity = _transfers?.StartActivity("p2pmesh.download", ActivityKind.Internal);
        activity?.SetTag(MeshSpanAttributes.FileSha256, _job.Sha256);
        try
        {
            await RunCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // OperationCanceledException, or a call that ended with CANCELLED because of it.
            Log.Cancelled(_logger, _job.Id, _job.Sha256, _lastSavedCount);
            _job.Finish(DownloadState.Cancelled);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Fail($"local file error: {ex.Message}", ex);
        }
        catch (Exception ex)
        {
            Fail($"unexpected error: {ex.Message}", ex);
        }
        finally
        {
            if (activity is { IsAllDataRequested: true })
            {
                // Counted per source on the hot path without allocating; only turned into tags here.
                var senders = _job.Sources.Where(s => s.BytesReceived > 0).ToList();
                activity.SetTag(MeshSpanAttributes.TransferBytes, senders.Sum(s => s.BytesReceived));
                activity.SetTag(MeshSpanAttributes.TransferSource, string.Join(',', senders.Select(s => s.Address.ToString()).Order(StringComparer.Ordinal)));
                var outcome = _job.Snapshot();
                activity.SetTag("p2pmesh.download.state", outcome.State.ToString());
                if (outcome.State == DownloadState.Failed)
                {
                    activity.SetStatus(ActivityStatusCode.Error, outcome.Error);
                }
            }
        }
    }

    private async Task RunCoreAsync(CancellationToken cancellationToken)
    {
        if (_index.FindBySha256(_job.Sha256) is { } existing && _index.TryResolvePath(existing, out _))
        {
            Log.AlreadyShared(_logger, _job.Id, _job.Sha256, existing.Name);
            _job.FinishAlreadyShared(existing.Name, existing.Size);
            return;
        }
        _job.SetState(DownloadState.Running);
        while (true)
        {
            if (await AcquireManifestAsync(cancellationToken).ConfigureAwait(false) is not var (manifest, giver))
            {
                Fail("no source gave a usable manifest");
                return;
            }
            var plan = new ChunkPlan(manifest);
            Log.ManifestAccepted(_logger, _job.Id, plan.Sha256, giver.Address.ToString(), plan.Size, plan.ChunkSize);
            switch (await RunPlanAsync(plan, giver, cancellationToken).ConfigureAwait(false))
            {
                case PlanOutcome.Completed:
                    return;
                case PlanOutcome.NoSourcesLeft:
                    Fail("every source was dropped before all chunks arrived");
                    return;
                default:
                    _job.SetState(DownloadState.Running);
                    continue;
            }
        }
    }

    private async Task<(Manifest Manifest, SourceTracker Source)?> AcquireManifestAsync(CancellationToken cancellationToken)
    {
        foreach (var source in _job.Sources)
        {
            if (!source.IsActive || source.ManifestRequested)
            {
                continue;
            }
            source.ManifestRequested = true;
            Manifest manifest;
            try
            {
                manifest = await _channels.Peer(source.Address).GetManifestAsync(
                    new GetManifestRequest { Sha256 = _job.Sha256 },
                    deadline: _timeProvider.GetUtcNow().UtcDateTime + _options.ManifestTimeout,
                    cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
            {
                Drop(source, $"GetManifest failed: {ex.StatusCode}: {ex.Status.Detail}", permanent: true);
                continue;
            }
            if (ManifestCheck.Problem(manifest, _job.Sha256) is { } problem)
            {
                Drop(source, $"sent a malformed manifest: {problem}", permanent: true);
                continue;
            }
            foreach (var other in _job.Sources)
            {
                other.IsManifestSource = ReferenceEquals(other, source);
            }
            return (manifest, source);
        }
        return null;
    }

    private async Task<PlanOutcome> RunPlanAsync(ChunkPlan plan, SourceTracker giver, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_directory);
        DateTime verifiedWriteTime;
        string[]? chunkHashes = null;
        using (var part = PartFile.Open(_partPath, plan.Size))
        {
            var done = await RestoreAsync(part, plan, cancellationToken).ConfigureAwait(false);
            lock (_doneLock)
            {
                _done = done;
                _dirty = true;   // the state file must describe this manifest
            }
            _job.SetPlan(plan.Size, plan.Count, done.SetCount, plan.BytesIn(done));
            await SaveStateAsync(plan, cancellationToken).ConfigureAwait(false);

            // Same chunk size as the index: the whole-file hash is built while chunks land (else one pass at the end
            // computes it together with the index's chunk hashes).
            using var prefix = plan.ChunkSize == _index.ChunkSize ? new PrefixHash(plan, part, IsDone) : null;
            if (!done.IsFull)
            {
                await FetchAsync(plan, part, prefix, cancellationToken).ConfigureAwait(false);
            }
            if (!IsComplete())
            {
                if (!_job.Sources.Any(s => s.IsDroppedForManifest))
                {
                    return PlanOutcome.NoSourcesLeft;
                }
                // Every source left was dropped, some for sending bytes this manifest disowns: the
                // manifest is as likely to be the liar as they are, and only it can be replaced.
                RejectManifest(giver, "no source sent chunks that match it");
                return PlanOutcome.ManifestRejected;
            }

            _job.SetState(DownloadState.Verifying);
            // Read before the pass, so a write during or after it makes the index hash the file itself.
            verifiedWriteTime = part.LastWriteTimeUtc;
            string actual;
            if (prefix is not null)
            {
                actual = prefix.Finish();
            }
            else
            {
                // The index's chunk hashes, in the same pass.
                (actual, chunkHashes, _) = await part.ComputeHashesAsync(_index.ChunkSize, plan.Size, cancellationToken).ConfigureAwait(false);
            }
            if (actual != plan.Sha256)
            {
                RejectManifest(giver, $"its chunks make a file whose SHA-256 is {actual}");
                return PlanOutcome.ManifestRejected;
            }
            // Same chunk size: every chunk was checked against the manifest's hashes and the whole file
            // against its SHA-256, so those are the index's chunk hashes.
            chunkHashes ??= plan.HexHashes();
            part.FlushToDisk();
        }

        var (name, moved) = MoveIntoShare(plan);
        DownloadStateStore.TryDelete(_statePath);
        try
        {
            if (moved)
            {
                // The rescan below then finds the file's hashes cached instead of reading it again.
                await _index.RecordVerifiedAsync(name, plan.Size, verifiedWriteTime, plan.Sha256, chunkHashes, cancellationToken).ConfigureAwait(false);
            }
            await _index.RescanAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or UnauthorizedAccessException)
        {
            // The file is in the share; the index service's watcher or next periodic scan picks it up.
            Log.RescanFailed(_logger, _job.Id, name, ex);
        }
        Log.Completed(_logger, _job.Id, plan.Sha256, name, plan.Size, _job.Snapshot().BytesFetched);
        _job.Finish(DownloadState.Completed, name, plan.Size);
        return PlanOutcome.Completed;
    }

    /// <summary>
    /// The chunks of the part file that an earlier run (or an earlier manifest of this run) completed, each verified
    /// from disk against <paramref name="plan"/>: the ones the state file records, and the ones written after its last
    /// save (it is written at most every <see cref="StateSaveInterval"/>), so a run killed mid-download fetches again
    /// only the chunks that were in flight. A chunk the state does not record and that reads as all zeros is taken as
    /// never written (not hashed; a genuinely all-zero chunk is then fetched again). Without a state file of this
    /// manifest's shape (none yet, unreadable, or written for another manifest, e.g. a dishonest one that was dropped)
    /// nothing is kept.
    /// </summary>
    private async Task<ChunkBitmap> RestoreAsync(PartFile part, ChunkPlan plan, CancellationToken cancellationToken)
    {
        var verified = new ChunkBitmap(plan.Count);
        if (!part.Existed)
        {
            return verified;
        }
        ChunkBitmap? recorded = null;
        try
        {
            if (await DownloadStateStore.LoadAsync(_statePath, cancellationToken).ConfigureAwait(false) is { } state &&
                state.Sha256 == plan.Sha256 && state.Size == plan.Size && state.ChunkSize == plan.ChunkSize && state.ChunkCount == plan.Count)
            {
                recorded = ChunkBitmap.FromBase64(state.Completed, plan.Count);
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            Log.StateIgnored(_logger, _job.Id, _statePath, ex.Message);
        }
        if (recorded is null)
        {
            // No state, or one of another manifest (a dishonest one dropped, say): the part's bytes are not trusted.
            return verified;
        }
        var rejected = 0;
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(plan.MaxChunkLength, 1));
        try
        {
            for (var index = 0; index < plan.Count; index++)
            {
                var wasRecorded = recorded.Get(index);
                if (await part.VerifyChunkAsync(plan, index, buffer, zerosAreUnwritten: !wasRecorded, cancellationToken).ConfigureAwait(false))
                {
                    verified.Set(index);
                }
                else if (wasRecorded)
                {
                    rejected++;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        Log.Resumed(_logger, _job.Id, plan.Sha256, verified.SetCount, rejected, plan.Count);
        return verified;
    }

    private async Task FetchAsync(ChunkPlan plan, PartFile part, PrefixHash? prefix, CancellationToken cancellationToken)
    {
        var queue = Channel.CreateUnbounded<int>();
        lock (_doneLock)
        {
            for (var i = 0; i < plan.Count; i++)
            {
                if (!_done.Get(i))
                {
                    queue.Writer.TryWrite(i);
                }
            }
        }
        using var fetch = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var stopSaving = new CancellationTokenSource();
        var saver = SaveLoopAsync(plan, stopSaving.Token);
        var lanes = new List<Task>();
        var active = _job.Sources.Where(s => s.IsActive).ToList();
        foreach (var source in active)
        {
            var token = source.BeginFetch(fetch.Token);
            for (var lane = 0; lane < _options.MaxInFlightPerSource; lane++)
            {
                lanes.Add(LaneAsync(source, plan, part, prefix, queue, token, fetch));
            }
        }
        try
        {
            await Task.WhenAll(lanes).ConfigureAwait(false);
        }
        finally
        {
            foreach (var source in active)
            {
                source.EndFetch();
            }
            await stopSaving.CancelAsync().ConfigureAwait(false);
            await saver.ConfigureAwait(false);
            await SaveStateAsync(plan, CancellationToken.None).ConfigureAwait(false);
        }
        if (_fatal is { } fatal)
        {
            ExceptionDispatchInfo.Throw(fatal);
        }
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>One of a source's in-flight slots: takes chunk indices off the queue until none are left or the source is dropped. Never throws.</summary>
    private async Task LaneAsync(
        SourceTracker source, ChunkPlan plan, PartFile part, PrefixHash? prefix, Channel<int> queue, CancellationToken token, CancellationTokenSource fetch)
    {
        byte[]? buffer = null;
        try
        {
            while (await queue.Reader.WaitToReadAsync(token).ConfigureAwait(false))
            {
                if (!queue.Reader.TryRead(out var index))
                {
                    continue;
                }
                buffer ??= ArrayPool<byte>.Shared.Rent(plan.MaxChunkLength);
                (string Reason, bool Permanent)? fault;
                try
                {
                    fault = await FetchChunkAsync(source, plan, index, buffer, token).ConfigureAwait(false);
                }
                catch (Exception) when (token.IsCancellationRequested)
                {
                    queue.Writer.TryWrite(index);
                    return;
                }
                if (fault is var (reason, permanent))
                {
                    queue.Writer.TryWrite(index);
                    Drop(source, reason, permanent);
                    return;
                }
                // Verified: written even if the source is dropped meanwhile; only stopping the whole fetch interrupts it.
                await part.WriteAsync(buffer.AsMemory(0, plan.Length(index)), plan.Offset(index), fetch.Token).ConfigureAwait(false);
                if (MarkDone(plan, index, source, queue.Writer))
                {
                    prefix?.Written(index, buffer.AsSpan(0, plan.Length(index)));
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // This side's failure (the part file cannot be written): no source can fix that.
            Interlocked.CompareExchange(ref _fatal, ex, null);
            await fetch.CancelAsync().ConfigureAwait(false);
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>
    /// Fetches chunk <paramref name="index"/> into <paramref name="buffer"/> and verifies it.
    /// </summary>
    /// <returns>
    /// <c>null</c> when the chunk is good; otherwise why the source must be dropped, and whether for good
    /// (a failed call) or only while this manifest is trusted (bytes that do not match it).
    /// </returns>
    private async Task<(string Reason, bool Permanent)?> FetchChunkAsync(SourceTracker source, ChunkPlan plan, int index, byte[] buffer, CancellationToken token)
    {
        var offset = plan.Offset(index);
        var length = plan.Length(index);
        var request = new ReadChunksRequest { Sha256 = plan.Sha256 };
        request.Ranges.Add(new ByteRange { Offset = (ulong)offset, Length = (ulong)length });
        var received = 0;
        try
        {
            using var call = _channels.Peer(source.Address).ReadChunks(request, deadline: _timeProvider.GetUtcNow().UtcDateTime + _options.ChunkTimeout, cancellationToken: token);
            await foreach (var message in call.ResponseStream.ReadAllAsync(token).ConfigureAwait(false))
            {
                var data = message.Data.Span;
                if (message.Offset != (ulong)(offset + received))
                {
                    return ($"sent bytes at offset {message.Offset} for chunk {index}, expected offset {offset + received}", false);
                }
                if (data.Length > length - received)
                {
                    return ($"sent more than the {length} bytes of chunk {index}", false);
                }
                data.CopyTo(buffer.AsSpan(received));
                received += data.Length;
            }
        }
        catch (RpcException ex) when (!token.IsCancellationRequested)
        {
            // OUT_OF_RANGE: the source's file is shorter than this manifest says; the manifest may be the liar.
            return ($"ReadChunks failed for chunk {index}: {ex.StatusCode}: {ex.Status.Detail}", ex.StatusCode != StatusCode.OutOfRange);
        }
        _metrics?.BytesReceived(received);
        source.AddReceived(received);
        if (received != length)
        {
            return ($"sent {received} of the {length} bytes of chunk {index}", false);
        }
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer.AsSpan(0, length), digest);
        if (!digest.SequenceEqual(plan.Hash(index)))
        {
            _metrics?.ChunkVerificationFailed();
            return ($"sent chunk {index} with SHA-256 {ContentHash.ToHex(digest)}, but the manifest lists {ContentHash.ToHex(plan.Hash(index))}", false);
        }
        return null;
    }

    // Records a verified, written chunk; false when another lane had already done it.
    private bool MarkDone(ChunkPlan plan, int index, SourceTracker source, ChannelWriter<int> queue)
    {
        bool full;
        lock (_doneLock)
        {
            if (!_done.Set(index))
            {
                return false;
            }
            _dirty = true;
            full = _done.IsFull;
        }
        var length = plan.Length(index);
        source.AddServed(length);
        _job.AddFetched(length);
        if (full)
        {
            queue.TryComplete();
        }
        return true;
    }

    private bool IsDone(int index)
    {
        lock (_doneLock)
        {
            return _done.Get(index);
        }
    }

    private bool IsComplete()
    {
        lock (_doneLock)
        {
            return _done.IsFull;
        }
    }

    private async Task SaveLoopAsync(ChunkPlan plan, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(StateSaveInterval, _timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                await SaveStateAsync(plan, stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>Writes the state file if anything changed since the last write. A failure is logged: the state is only a hint (chunks are re-verified on resume).</summary>
    private async Task SaveStateAsync(ChunkPlan plan, CancellationToken cancellationToken)
    {
        DownloadStateDocument document;
        int count;
        lock (_doneLock)
        {
            if (!_dirty)
            {
                return;
            }
            _dirty = false;
            count = _done.SetCount;
            document = new DownloadStateDocument
            {
                Version = DownloadStateDocument.CurrentVersion,
                Sha256 = plan.Sha256,
                Size = plan.Size,
                ChunkSize = plan.ChunkSize,
                ChunkCount = plan.Count,
                Completed = _done.ToBase64(),
            };
        }
        try
        {
            await DownloadStateStore.SaveAsync(_statePath, document, cancellationToken).ConfigureAwait(false);
            _lastSavedCount = count;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            lock (_doneLock)
            {
                _dirty = true;
            }
            Log.StateSaveFailed(_logger, _job.Id, _statePath, ex);
        }
    }

    /// <summary>
    /// Moves the verified part file into the share under a free name; returns the name, and whether the
    /// part file went there (not when the same content already had that name).
    /// </summary>
    private (string Name, bool Moved) MoveIntoShare(ChunkPlan plan)
    {
        var wanted = ShareFileName.Choose(_job.RequestedName, plan.Name, plan.Sha256);
        Directory.CreateDirectory(_index.ShareDirectory);
        foreach (var candidate in ShareFileName.Variants(wanted))
        {
            var target = Path.Join(_index.ShareDirectory, candidate);
            if (Path.Exists(target))
            {
                if (_index.Files.Any(f => f.Name == candidate && f.Sha256 == plan.Sha256))
                {
                    // The same content is already shared under this name (another download got there first).
                    DownloadStateStore.TryDelete(_partPath);
                    return (candidate, false);
                }
                continue;
            }
            try
            {
                File.Move(_partPath, target, overwrite: false);
                return (candidate, true);
            }
            catch (IOException) when (Path.Exists(target))
            {
                // Taken between the check and the move: try the next variant.
            }
        }
        throw new IOException($"no free name like '{wanted}' in the share after {ShareFileName.MaxVariants} tries");
    }

    private void RejectManifest(SourceTracker giver, string why)
    {
        Drop(giver, $"its manifest was dishonest: {why}", permanent: true);
        foreach (var source in _job.Sources)
        {
            if (source.Reinstate())
            {
                Log.SourceReinstated(_logger, _job.Id, source.Address.ToString());
            }
        }
    }

    private void Drop(SourceTracker source, string reason, bool permanent)
    {
        if (source.Drop(reason, permanent))
        {
            Log.SourceDropped(_logger, _job.Id, source.Address.ToString(), reason);
        }
    }

    private void Fail(string error, Exception? exception = null)
    {
        var reasons = string.Join("; ", _job.Sources.Select(s => $"{s.Address}: {s.DroppedReason ?? "not dropped"}"));
        var message = $"{error} (sources: {reasons})";
        Log.Failed(_logger, _job.Id, _job.Sha256, message, exception);
        if (_lastSavedCount == 0)
        {
            // Nothing worth resuming: leave no trace.
            DownloadStateStore.TryDelete(_partPath);
            DownloadStateStore.TryDelete(_statePath);
        }
        _job.Finish(DownloadState.Failed, error: message);
    }
}
