using System.Buffers;
using System.Diagnostics;
using Google.Protobuf;
using Microsoft.Extensions.Options;
using P2PMesh.Core.Content;
using P2PMesh.Core.Telemetry;
using Grpc.Core;
using P2PMesh.V1;

namespace P2PMesh.Core.Transfers;

/// <summary>
/// The serving side of downloads (protos/p2pmesh/v1/peer.proto, <c>GetManifest</c> and <c>ReadChunks</c>):
/// manifests from the content index, and file parts streamed from disk with one pooled 512 KiB buffer
/// per call, whatever the file size, so memory stays bounded, at most <see cref="TransferOptions.MaxServeBytesPerSecond"/>
/// over all calls (<see cref="ServeRateLimiter"/>). Bytes served are counted in
/// <see cref="MeshMetrics"/> and set on the call's server span (<see cref="MeshSpanAttributes.TransferBytes"/>).
/// </summary>
public sealed class ChunkServer(ContentIndex index, IOptions<TransferOptions> options, MeshMetrics metrics, ServeRateLimiter rate)
{
    /// <summary>The manifest of the file with <paramref name="sha256"/>.</summary>
    /// <exception cref="RpcException">INVALID_ARGUMENT for a malformed hash; NOT_FOUND if this peer holds no such file.</exception>
    public Manifest GetManifest(string sha256) => ManifestMapper.ToManifest(Find(sha256));

    /// <summary>Streams the requested chunks, then ranges, as Chunk messages of at most <see cref="TransferOptions.MaxChunkMessageBytes"/> bytes of data.</summary>
    /// <exception cref="RpcException">
    /// INVALID_ARGUMENT (malformed hash, nothing or too much asked), NOT_FOUND (unknown hash or the file
    /// has gone), OUT_OF_RANGE (a chunk or range beyond the file), DATA_LOSS (the file shrank on disk).
    /// </exception>
    public async Task ReadChunksAsync(ReadChunksRequest request, IServerStreamWriter<Chunk> writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var file = Find(request.Sha256);
        var parts = ToParts(request, file);

        FileStream stream;
        try
        {
            stream = index.OpenRead(file);
        }
        catch (FileNotFoundException)
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"file {file.Sha256} is no longer available"));
        }
        var buffer = ArrayPool<byte>.Shared.Rent(TransferOptions.MaxChunkMessageBytes);
        var span = Activity.Current is { IsAllDataRequested: true } current ? current : null;
        span?.SetTag(MeshSpanAttributes.FileSha256, file.Sha256);
        long served = 0;
        try
        {
            using (stream)
            {
                foreach (var (chunkIndex, offset, length) in parts)
                {
                    for (long sent = 0; sent < length;)
                    {
                        var count = (int)Math.Min(TransferOptions.MaxChunkMessageBytes, length - sent);
                        var position = offset + sent;
                        await rate.WaitAsync(count, cancellationToken).ConfigureAwait(false);
                        await ReadExactlyAsync(stream, buffer.AsMemory(0, count), position, cancellationToken).ConfigureAwait(false);
                        // The buffer is reused once WriteAsync returns: by then the message has been serialized.
                        await writer.WriteAsync(new Chunk { Index = chunkIndex, Offset = (ulong)position, Data = UnsafeByteOperations.UnsafeWrap(buffer.AsMemory(0, count)) }, cancellationToken).ConfigureAwait(false);
                        sent += count;
                        served += count;
                        metrics.BytesSent(count);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            span?.SetTag(MeshSpanAttributes.TransferBytes, served);
        }
    }

    private ContentFile Find(string sha256)
    {
        if (!ContentHash.IsSha256Hex(sha256))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "sha256 must be 64 hex digits"));
        }
        return index.FindBySha256(sha256)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"no file with sha256 {sha256.ToLowerInvariant()} here"));
    }

    private List<(uint Index, long Offset, long Length)> ToParts(ReadChunksRequest request, ContentFile file)
    {
        var count = request.Chunks.Count + request.Ranges.Count;
        if (count == 0 || count > options.Value.MaxPartsPerRead)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument,
                $"ask for 1 to {options.Value.MaxPartsPerRead} chunks or ranges, not {count}"));
        }
        var parts = new List<(uint, long, long)>(count);
        var chunkCount = file.ChunkHashes.Count;
        foreach (var chunk in request.Chunks)
        {
            if (chunk >= chunkCount)
            {
                throw new RpcException(new Status(StatusCode.OutOfRange, $"chunk {chunk} is beyond the file's {chunkCount} chunks"));
            }
            var offset = (long)chunk * file.ChunkSize;
            parts.Add((chunk, offset, Math.Min(file.ChunkSize, file.Size - offset)));
        }
        foreach (var range in request.Ranges)
        {
            if (range.Length == 0 || range.Offset >= (ulong)file.Size || range.Length > (ulong)file.Size - range.Offset)
            {
                throw new RpcException(new Status(StatusCode.OutOfRange,
                    $"range [{range.Offset}, +{range.Length}) is empty or beyond the file's {file.Size} bytes"));
            }
            parts.Add((0, (long)range.Offset, (long)range.Length));
        }
        return parts;
    }

    private static async Task ReadExactlyAsync(FileStream stream, Memory<byte> buffer, long position, CancellationToken cancellationToken)
    {
        for (var read = 0; read < buffer.Length;)
        {
            var n = await RandomAccess.ReadAsync(stream.SafeFileHandle, buffer[read..], position + read, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                throw new RpcException(new Status(StatusCode.DataLoss, "the file is shorter on disk than when it was indexed"));
            }
            read += n;
        }
    }
}
