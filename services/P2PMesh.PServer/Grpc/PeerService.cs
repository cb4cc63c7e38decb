using P2PMesh.Contracts;
using P2PMesh.Core.Content;
using P2PMesh.Core.Peers;
using P2PMesh.Core.Search;
using P2PMesh.Core.Transfers;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using P2PMesh.PServer.Limits;
using P2PMesh.ServiceDefaults.Admission;
using P2PMesh.V1;

namespace P2PMesh.PServer.Grpc;

/// <summary><c>p2pmesh.v1.Peer</c> (protos/p2pmesh/v1/peer.proto): liveness, symmetric links, peer exchange, search (flood, directory, mom), transfers.</summary>
public sealed class PeerService(
    ILocalPeer self,
    NeighbourTable neighbours,
    OriginSearch search,
    ContentIndex index,
    ChunkServer chunks,
    UploadReceiver uploads,
    UploadSourcePolicy uploadSources,
    CallerAdmission admission,
    TimeProvider timeProvider) : Peer.PeerBase
{
    /// <summary>This peer's identity and wall clock (Unix ms), and whether it lists the sender as a neighbour.</summary>
    [AllowAnonymous]
    public override Task<PingReply> Ping(PingRequest request, ServerCallContext context) =>
        Task.FromResult(new PingReply
        {
            Peer = self.ToPeerInfo(),
            UnixTimeMs = timeProvider.GetUtcNow().ToUnixTimeMilliseconds(),
            Linked = request.Sender is { } sender && neighbours.Contains(sender.Id),
        });

    /// <summary>
    /// Accepts the sender as a neighbour (idempotent). RESOURCE_EXHAUSTED at the maximum degree;
    /// INVALID_ARGUMENT for a malformed sender or a link to itself.
    /// </summary>
    public override Task<LinkReply> Link(LinkRequest request, ServerCallContext context)
    {
        admission.DemandPeer(context, request.Sender.Id, PeerInfoValidation.Validate(request.Sender, "sender").ToString());
        if (request.Sender.Id == self.Id)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"peer {self.Id} cannot link to itself"));
        }
        if (neighbours.TryAdd(request.Sender) == NeighbourAddResult.Full)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted,
                $"peer {self.Id} already has its maximum of {neighbours.MaxDegree} neighbours"));
        }
        return Task.FromResult(new LinkReply { Peer = self.ToPeerInfo() });
    }

    /// <summary>Drops the sender from this peer's neighbours (a no-op if it was not one).</summary>
    public override Task<UnlinkReply> Unlink(UnlinkRequest request, ServerCallContext context)
    {
        admission.DemandPeer(context, request.Sender.Id, PeerInfoValidation.Validate(request.Sender, "sender").ToString());
        neighbours.Remove(request.Sender.Id);
        return Task.FromResult(new UnlinkReply());
    }

    /// <summary>This peer and its current neighbours.</summary>
    public override Task<GetNeighboursReply> GetNeighbours(GetNeighboursRequest request, ServerCallContext context)
    {
        var reply = new GetNeighboursReply { Peer = self.ToPeerInfo() };
        reply.Neighbours.AddRange(neighbours.Snapshot());
        return Task.FromResult(reply);
    }

    /// <summary>
    /// A client's search the way its <c>via</c> says (flood, directory, auto, mom), a forward as this peer's part of a
    /// flood (see <see cref="OriginSearch"/> and <see cref="FloodEngine"/>).
    /// </summary>
    [EnableRateLimiting(PeerRateLimits.SearchPolicy)]
    public override Task Search(SearchRequest request, IServerStreamWriter<SearchEvent> responses, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Hops > 0 && request.Sender is { } sender)
        {
            // A forward speaks for the peer that sent it: with admission, only that peer may.
            admission.DemandPeer(context, sender.Id, PeerInfoValidation.Validate(sender, "sender").ToString());
        }
        return search.SearchAsync(request, responses, context.Deadline, context.CancellationToken);
    }

    /// <summary>This peer's shared files, sorted by name.</summary>
    public override Task<ListFilesReply> ListFiles(ListFilesRequest request, ServerCallContext context)
    {
        var reply = new ListFilesReply();
        // ContentIndex.Files is already sorted by name (ordinal).
        reply.Files.AddRange(index.Files.Select(f => f.ToSharedFile()));
        return Task.FromResult(reply);
    }

    /// <summary>The manifest of a file this peer holds (see <see cref="ChunkServer.GetManifest"/>).</summary>
    public override Task<Manifest> GetManifest(GetManifestRequest request, ServerCallContext context) =>
        Task.FromResult(chunks.GetManifest(request.Sha256));

    /// <summary>Streams chunks or ranges of a file from disk (see <see cref="ChunkServer.ReadChunksAsync"/>).</summary>
    [EnableRateLimiting(PeerRateLimits.ReadChunksPolicy)]
    public override Task ReadChunks(ReadChunksRequest request, IServerStreamWriter<Chunk> responses, ServerCallContext context) =>
        chunks.ReadChunksAsync(request, responses, context.CancellationToken);

    /// <summary>
    /// Stores an uploaded file in the share (see <see cref="UploadReceiver.ReceiveAsync"/>); PERMISSION_DENIED for a caller
    /// outside <see cref="TransferOptions.UploadSources"/> (see <see cref="UploadSourcePolicy"/>).
    /// </summary>
    public override async Task<UploadReply> Upload(IAsyncStreamReader<UploadPart> requestStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        uploadSources.Demand(context.GetHttpContext().Connection.RemoteIpAddress);
        return new() { Manifest = await uploads.ReceiveAsync(requestStream.ReadAllAsync(context.CancellationToken), context.CancellationToken).ConfigureAwait(false) };
    }
}
