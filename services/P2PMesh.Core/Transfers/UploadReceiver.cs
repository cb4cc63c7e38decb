using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P2PMesh.Core.Content;
using P2PMesh.Core.Content.Internal;
using P2PMesh.Core.Telemetry;
using Grpc.Core;
using P2PMesh.V1;

namespace P2PMesh.Core.Transfers;

/// <summary>
/// The receiving side of <c>Upload</c> (protos/p2pmesh/v1/peer.proto): checks the header, the size
/// limit and the free space before writing anything; streams the data to a temporary file under the
/// index's state folder while hashing it; and only when size and SHA-256 both match moves it into the
/// share under its name (an atomic rename on the same volume) and re-indexes, handing the index the
/// hashes computed while streaming so it does not read the file again. Any failure deletes the
/// temporary file: nothing is kept.
/// </summary>
public sealed partial class UploadReceiver(
    ContentIndex index, IOptions<TransferOptions> options, SpaceReservations reservations, ILogger<UploadReceiver> logger, MeshMetrics metrics)
{
    /// <summary>The folder (under the index's state directory) where uploads are written before their rename.</summary>
    public string TemporaryDirectory => Path.Combine(index.StateDirectory, "uploads");

    /// <summary>
    /// Deletes the temporary files of uploads a previous run left behind (killed mid-upload): every <c>*.part</c> in
    /// <see cref="TemporaryDirectory"/>. Call once at start, before uploads are accepted. Returns how many were deleted.
    /// The download engine's resumable part files live elsewhere and are kept.
    /// </summary>
    public int RemoveStaleTemporaryFiles()
    {
        if (!Directory.Exists(TemporaryDirectory))
        {
            return 0;
        }
        var removed = 0;
        foreach (var stale in Directory.EnumerateFiles(TemporaryDirectory, "*.part"))
        {
            try
            {
                File.Delete(stale);
                removed++;
            }
            catch (IOException)
            {
            }
        }
        if (removed > 0)
        {
            Log.StaleRemoved(logger, removed, TemporaryDirectory);
        }
        return removed;
    }

    /// <summary>Stores the upload and returns its manifest.</summary>
    /// <exception cref="RpcException">
    /// INVALID_ARGUMENT (no header first, a second header, bad name or hash), RESOURCE_EXHAUSTED (over
    /// the size limit or the free space), ALREADY_EXISTS (another file has that name), DATA_LOSS (size or
    /// hash mismatch).
    /// </exception>
    public async Task<Manifest> ReceiveAsync(IAsyncEnumerable<UploadPart> parts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parts);
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var enumerator = parts.GetAsyncEnumerator(idle.Token);
        await using (enumerator.ConfigureAwait(false))
        {
            if (!await enumerator.MoveNextAsync().ConfigureAwait(false) || enumerator.Current.PartCase != UploadPart.PartOneofCase.Header)
            {
                throw Status(StatusCode.InvalidArgument, "the first part of an upload must be its header");
            }
            var header = enumerator.Current.Header;
            var target = CheckHeader(header);
            if (File.Exists(target) || Directory.Exists(target))
            {
                return ExistingOrConflict(header);
            }

            using var reservation = Reserve(header);
            Directory.CreateDirectory(TemporaryDirectory);
            var temporary = Path.Combine(TemporaryDirectory, $"{Guid.NewGuid():N}.part");
            Verified verified;
            try
            {
                verified = await WriteVerifiedAsync(enumerator, idle, header, temporary, index.ChunkSize, options.Value.UploadIdleTimeout, metrics, cancellationToken).ConfigureAwait(false);
                try
                {
                    File.Move(temporary, target, overwrite: false);
                }
                catch (IOException) when (File.Exists(target))
                {
                    return ExistingOrConflict(header);   // another upload of that name won the race
                }
            }
            catch (IOException ex) when (ex.HResult == DiskFullHResult)
            {
                throw Status(StatusCode.ResourceExhausted, "the share's volume is full");
            }
            finally
            {
                File.Delete(temporary);   // no-op once moved
            }

            // The rescan then finds the file's hashes cached instead of reading it again.
            await index.RecordVerifiedAsync(header.Name, (long)header.Size, verified.LastWriteTimeUtc, verified.Sha256, verified.ChunkHashes, cancellationToken).ConfigureAwait(false);
            await index.RescanAsync(cancellationToken).ConfigureAwait(false);
            var stored = index.Files.FirstOrDefault(f => f.Name == header.Name)
                ?? throw Status(StatusCode.Internal, $"'{header.Name}' was stored but could not be indexed");
            Log.Stored(logger, header.Name, (long)header.Size, stored.Sha256);
            return ManifestMapper.ToManifest(stored);
        }
    }

    private string CheckHeader(UploadHeader header)
    {
        UploadName.Validate(header.Name);
        if (!ContentHash.IsSha256Hex(header.Sha256))
        {
            throw Status(StatusCode.InvalidArgument, "sha256 must be 64 hex digits");
        }
        var settings = options.Value;
        if (header.Size > (ulong)settings.MaxUploadBytes)
        {
            throw Status(StatusCode.ResourceExhausted, $"{header.Size} bytes exceeds the upload limit of {settings.MaxUploadBytes} bytes");
        }
        return Path.Combine(index.ShareDirectory, header.Name);
    }

    // ENOSPC as .NET reports it on Linux (IOException.HResult).
    private const int DiskFullHResult = 28;

    private IDisposable Reserve(UploadHeader header)
    {
        var settings = options.Value;
        Directory.CreateDirectory(index.ShareDirectory);
        var free = new DriveInfo(index.ShareDirectory).AvailableFreeSpace;
        if (!reservations.TryReserve((long)header.Size, free, settings.MinFreeBytes, out var reservation, out var room))
        {
            throw Status(StatusCode.ResourceExhausted,
                $"{header.Size} bytes would leave less than {settings.MinFreeBytes} bytes free on the share's volume " +
                $"({free} free, {reservations.Reserved} promised to uploads in progress, room for {Math.Max(0, room)})");
        }
        return reservation!;
    }

    /// <summary>
    /// Writes the data parts to <paramref name="path"/> while hashing them (the whole file, and each
    /// <paramref name="chunkSize"/>-byte chunk for the index) and checks size and SHA-256 against the header.
    /// </summary>
    private static async Task<Verified> WriteVerifiedAsync(
        IAsyncEnumerator<UploadPart> parts, CancellationTokenSource idle, UploadHeader header, string path, int chunkSize, TimeSpan idleTimeout, MeshMetrics metrics, CancellationToken cancellationToken)
    {
        using var hash = new ChunkedSha256(chunkSize, (long)header.Size);
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            ulong received = 0;
            while (await NextPartAsync(parts, idle, idleTimeout, cancellationToken).ConfigureAwait(false))
            {
                if (parts.Current.PartCase != UploadPart.PartOneofCase.Data)
                {
                    throw Status(StatusCode.InvalidArgument, "only data may follow the header");
                }
                var data = parts.Current.Data.Memory;
                received += (ulong)data.Length;
                metrics.BytesReceived(data.Length);
                if (received > header.Size)
                {
                    throw Status(StatusCode.DataLoss, $"more than the declared {header.Size} bytes were sent");
                }
                hash.Append(data.Span);
                await stream.WriteAsync(data, cancellationToken).ConfigureAwait(false);
            }
            if (received != header.Size)
            {
                throw Status(StatusCode.DataLoss, $"{received} bytes were sent, {header.Size} declared");
            }
            var (actual, chunks) = hash.Complete();
            if (!string.Equals(actual, header.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw Status(StatusCode.DataLoss, $"content hash is {actual}, {header.Sha256.ToLowerInvariant()} declared");
            }
            stream.Flush(flushToDisk: true);
            return new Verified(actual, chunks, File.GetLastWriteTimeUtc(stream.SafeFileHandle));
        }
    }

    // The next part; DEADLINE_EXCEEDED when none arrives within the idle timeout. The enumerator reads under
    // idle.Token (linked to the call's token), which the timer cancels.
    private static async ValueTask<bool> NextPartAsync(
        IAsyncEnumerator<UploadPart> parts, CancellationTokenSource idle, TimeSpan idleTimeout, CancellationToken cancellationToken)
    {
        idle.CancelAfter(idleTimeout);
        try
        {
            return await parts.MoveNextAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (idle.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw Status(StatusCode.DeadlineExceeded, $"no upload data for {idleTimeout.TotalSeconds:0.#} s; the upload was dropped");
        }
        finally
        {
            idle.CancelAfter(Timeout.InfiniteTimeSpan);
        }
    }

    private Manifest ExistingOrConflict(UploadHeader header)
    {
        // Uploading the same content under the same name again is harmless: answer as if stored.
        var existing = index.Files.FirstOrDefault(f => f.Name == header.Name);
        return existing is not null && string.Equals(existing.Sha256, header.Sha256, StringComparison.OrdinalIgnoreCase)
            ? ManifestMapper.ToManifest(existing)
            : throw Status(StatusCode.AlreadyExists, $"a different file named '{header.Name}' is already shared");
    }

    /// <summary>What <see cref="WriteVerifiedAsync"/> proved about the file: its hashes, for its last write time.</summary>
    private readonly record struct Verified(string Sha256, string[] ChunkHashes, DateTime LastWriteTimeUtc);

    private static RpcException Status(StatusCode code, string message) => new(new Grpc.Core.Status(code, message));

    private static partial class Log
    {
        [LoggerMessage(EventId = 400, Level = LogLevel.Information, EventName = "UploadStored", Message = "Stored upload {Name} ({Size} bytes, sha256 {Sha256}).")]
        public static partial void Stored(ILogger logger, string name, long size, string sha256);

        [LoggerMessage(EventId = 401, Level = LogLevel.Information, EventName = "StaleUploadsRemoved", Message = "Removed {Count} unfinished uploads left by a previous run from {Directory}.")]
        public static partial void StaleRemoved(ILogger logger, int count, string directory);
    }
}
