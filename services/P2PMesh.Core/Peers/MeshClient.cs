using Grpc.Core;
using Microsoft.Extensions.Options;
using P2PMesh.Contracts;
using P2PMesh.V1;

namespace P2PMesh.Core.Peers;

/// <summary>
/// Calls other peers and the Bootstrap as this peer, through the generated clients of <see cref="PeerChannelPool"/>:
/// every request names this peer as the sender, and unary calls carry a deadline of
/// <see cref="NeighbourOptions.CallTimeout"/>. Failures surface as <see cref="RpcException"/>.
/// </summary>
public sealed class MeshClient(PeerChannelPool channels, ILocalPeer self, IOptions<NeighbourOptions> options, TimeProvider timeProvider)
{
    /// <summary><c>Peer.Ping</c>: the callee's identity, clock, and whether it lists this peer.</summary>
    public async Task<PingReply> PingAsync(PeerAddress peer, CancellationToken cancellationToken) =>
        await channels.Peer(peer).PingAsync(new PingRequest { Sender = self.ToPeerInfo() }, deadline: Deadline(), cancellationToken: cancellationToken).ConfigureAwait(false);

    /// <summary><c>Peer.Link</c>: asks <paramref name="peer"/> to become a neighbour; RESOURCE_EXHAUSTED when it is full.</summary>
    public async Task<LinkReply> LinkAsync(PeerAddress peer, CancellationToken cancellationToken) =>
        await channels.Peer(peer).LinkAsync(new LinkRequest { Sender = self.ToPeerInfo() }, deadline: Deadline(), cancellationToken: cancellationToken).ConfigureAwait(false);

    /// <summary><c>Peer.Unlink</c>: drops the link on the callee's side.</summary>
    public async Task UnlinkAsync(PeerAddress peer, CancellationToken cancellationToken) =>
        await channels.Peer(peer).UnlinkAsync(new UnlinkRequest { Sender = self.ToPeerInfo() }, deadline: Deadline(), cancellationToken: cancellationToken).ConfigureAwait(false);

    /// <summary><c>Peer.GetNeighbours</c>: the callee's neighbours (peer exchange).</summary>
    public async Task<GetNeighboursReply> GetNeighboursAsync(PeerAddress peer, CancellationToken cancellationToken) =>
        await channels.Peer(peer).GetNeighboursAsync(new GetNeighboursRequest(), deadline: Deadline(), cancellationToken: cancellationToken).ConfigureAwait(false);

    /// <summary><c>Peer.Search</c> towards a neighbour, ending at <paramref name="deadline"/> (UTC).</summary>
    public AsyncServerStreamingCall<SearchEvent> Search(PeerAddress peer, SearchRequest request, DateTime deadline, CancellationToken cancellationToken) =>
        channels.Peer(peer).Search(request, deadline: deadline, cancellationToken: cancellationToken);

    /// <summary><c>Bootstrap.Join</c>: registers this peer; returns a sample of other live peers.</summary>
    public async Task<JoinReply> JoinAsync(PeerAddress bootstrap, CancellationToken cancellationToken) =>
        await channels.Bootstrap(bootstrap).JoinAsync(self.ToPeerInfo(), deadline: Deadline(), cancellationToken: cancellationToken).ConfigureAwait(false);

    /// <summary><c>Bootstrap.Heartbeat</c>: false when the bootstrap no longer knows this peer.</summary>
    public async Task<bool> HeartbeatAsync(PeerAddress bootstrap, CancellationToken cancellationToken) =>
        (await channels.Bootstrap(bootstrap).HeartbeatAsync(self.ToPeerInfo(), deadline: Deadline(), cancellationToken: cancellationToken).ConfigureAwait(false)).Known;

    /// <summary><c>Bootstrap.Leave</c>.</summary>
    public async Task LeaveAsync(PeerAddress bootstrap, CancellationToken cancellationToken) =>
        await channels.Bootstrap(bootstrap).LeaveAsync(self.ToPeerInfo(), deadline: Deadline(), cancellationToken: cancellationToken).ConfigureAwait(false);

    private DateTime Deadline() => timeProvider.GetUtcNow().UtcDateTime + options.Value.CallTimeout;
}
