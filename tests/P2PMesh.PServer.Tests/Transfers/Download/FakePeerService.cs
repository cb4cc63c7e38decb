using Google.Protobuf;
using Grpc.Core;
using P2PMesh.Core.Transfers;
using P2PMesh.V1;

namespace P2PMesh.PServer.Tests.Transfers.Download;

/// <summary>
/// A <c>p2pmesh.v1.Peer</c> that implements only GetManifest and ReadChunks, from a
/// <see cref="FakePeerBehavior"/> (a source that lies about the manifest or spoils chunks), and a Search that
/// never answers (a neighbour that hangs); every other method is UNIMPLEMENTED.
/// </summary>
public sealed class FakePeerService(FakePeerBehavior behavior) : Peer.PeerBase
{
    public override Task<Manifest> GetManifest(GetManifestRequest request, ServerCallContext context) => Task.FromResult(behavior.Manifest);

    /// <summary>Takes the query and sends nothing until the caller gives up.</summary>
    public override async Task Search(SearchRequest request, IServerStreamWriter<SearchEvent> responses, ServerCallContext context)
    {
        behavior.NextSearch();
        await Task.Delay(Timeout.Infinite, context.CancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    public override async Task ReadChunks(ReadChunksRequest request, IServerStreamWriter<Chunk> responses, ServerCallContext context)
    {
        var corrupt = behavior.CorruptCall(behavior.NextCall()) ? behavior.Corruption : FakeCorruption.None;
        var parts = request.Chunks.Select(c => (Index: c, Offset: (long)c * behavior.Manifest.ChunkSize, Length: Math.Min(behavior.Manifest.ChunkSize, behavior.Content.Length - (long)c * behavior.Manifest.ChunkSize)))
            .Concat(request.Ranges.Select(r => (Index: 0u, Offset: (long)r.Offset, Length: (long)r.Length)));
        foreach (var (index, offset, length) in parts)
        {
            if (length <= 0 || offset + length > behavior.Content.Length)
            {
                throw new RpcException(new Status(StatusCode.OutOfRange, $"[{offset}, +{length}) is beyond {behavior.Content.Length} bytes"));
            }
            for (long sent = 0; sent < length;)
            {
                var count = (int)Math.Min(TransferOptions.MaxChunkMessageBytes, length - sent);
                var data = behavior.Content.AsSpan((int)(offset + sent), count).ToArray();
                var position = offset + sent;
                var last = sent + count == length;
                switch (corrupt)
                {
                    case FakeCorruption.FlipByte when sent == 0:
                        data[data.Length / 2] ^= 0xFF;
                        break;
                    case FakeCorruption.WrongOffset when sent == 0:
                        position++;
                        break;
                    case FakeCorruption.ShortChunk when last:
                        data = data[..^1];
                        break;
                    case FakeCorruption.ExtraByte when last:
                        data = [.. data, 0x42];
                        break;
                }
                await responses.WriteAsync(new Chunk { Index = index, Offset = (ulong)position, Data = ByteString.CopyFrom(data) }, context.CancellationToken);
                sent += count;
            }
        }
    }
}
