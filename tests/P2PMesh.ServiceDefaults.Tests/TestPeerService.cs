using Grpc.Core;
using P2PMesh.V1;

namespace P2PMesh.ServiceDefaults.Tests;

/// <summary>
/// A tiny <c>p2pmesh.v1.Peer</c>: <c>Ping</c> (a housekeeping call) and <c>ListFiles</c> (user work) each do one
/// <see cref="TestWork"/> under the call's span; <c>Upload</c> reads every part and answers with a manifest of the
/// bytes it received. The rest is unimplemented.
/// </summary>
public sealed class TestPeerService(TestWork work) : Peer.PeerBase
{
    public override Task<PingReply> Ping(PingRequest request, ServerCallContext context)
    {
        work.Do();
        return Task.FromResult(new PingReply { UnixTimeMs = 1 });
    }

    public override Task<ListFilesReply> ListFiles(ListFilesRequest request, ServerCallContext context)
    {
        work.Do();
        return Task.FromResult(new ListFilesReply());
    }

    public override async Task<UploadReply> Upload(IAsyncStreamReader<UploadPart> requestStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(requestStream);
        var size = 0UL;
        await foreach (var part in requestStream.ReadAllAsync(context.CancellationToken))
        {
            size += (ulong)part.Data.Length;
        }
        return new UploadReply { Manifest = new Manifest { Size = size } };
    }
}
