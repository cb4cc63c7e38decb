using Microsoft.Extensions.Options;
using P2PMesh.Grpc;
using P2PMesh.V1;

namespace P2PMesh.Core.Peers;

/// <summary>
/// Calls other peers and the Bootstrap as this peer: every request names this peer as the sender and
/// carries a deadline of <see cref="NeighbourOptions.CallTimeout"/>. Failures surface as <see cref="RpcException"/>.
/// </summary>
public sealed class PeerClient(PeerChannelPool channels, ILocalPeer self, IOptions<NeighbourOptions> options, TimeProvider timeProvider)
{
    /// <summary><c>Peer.Ping</c>: the callee's identity, clock, and whether it lists this peer.</summary>
    public async Task<PingReply> PingAsync(PeerAddress peer, CancellationToken cancellationToken) =>
        await UnaryAsync(peer, PeerMethods.Ping, new PingRequest { Sender = self.ToPeerInfo() }, cancellationToken).ConfigureAwait(false);

    /// <summary><c>Peer.Link</c>: asks <paramref name="peer"/> to become a neighbour; RESOURCE_EXHAUSTED when it is full.</summary>
    public async Task<LinkReply> LinkAsync(PeerAddress peer, CancellationToken cancellationToken) =>
        await UnaryAsync(peer, PeerMethods.Link, new LinkRequest { Sender = self.ToPeerInfo() }, cancellationToken).ConfigureAwait(false);

    /// <summary><c>Peer.Unlink</c>: drops the link on the callee's side.</summary>
    public async Task UnlinkAsync(PeerAddress peer, CancellationToken cancellationToken) =>
        await UnaryAsync(peer, PeerMethods.Unlink, new UnlinkRequest { Sender = self.ToPeerInfo() }, cancellationToken).ConfigureAwait(false);

    /// <summary><c>Peer.GetNeighbours</c>: the callee's neighbours (peer exchange).</summary>
    public async Task<GetNeighboursReply> GetNeighboursAsync(PeerAddress peer, CancellationToken cancellationToken) =>
        await UnaryAsync(peer, PeerMethods.GetNeighbours, new GetNeighboursRequest(), cancellationToken).ConfigureAwait(false);

    /// <summary><c>Peer.Search</c> towards a neighbour, ending at <paramref name="deadline"/> (UTC).</summary>
    public AsyncServerStreamingCall<SearchEvent> Search(PeerAddress peer, SearchRequest request, DateTime deadline, CancellationToken cancellationToken) =>
        channels.Get(peer).AsyncServerStreamingCall(PeerMethods.Search, request, new CallOptions(Deadline: deadline, CancellationToken: cancellationToken));

    /// <summary><c>Bootstrap.Join</c>: registers this peer; returns a sample of other live peers.</summary>
    public async Task<JoinReply> JoinAsync(PeerAddress bootstrap, CancellationToken cancellationToken) =>
        await UnaryAsync(bootstrap, PeerMethods.Join, self.ToPeerInfo(), cancellationToken).ConfigureAwait(false);

    /// <summary><c>Bootstrap.Heartbeat</c>: false when the bootstrap no longer knows this peer.</summary>
    public async Task<bool> HeartbeatAsync(PeerAddress bootstrap, CancellationToken cancellationToken) =>
        (await UnaryAsync(bootstrap, PeerMethods.Heartbeat, self.ToPeerInfo(), cancellationToken).ConfigureAwait(false)).Known;

    /// <summary><c>Bootstrap.Leave</c>.</summary>
    public async Task LeaveAsync(PeerAddress bootstrap, CancellationToken cancellationToken) =>
        await UnaryAsync(bootstrap, PeerMethods.Leave, self.ToPeerInfo(), cancellationToken).ConfigureAwait(false);

    private async Task<TResponse> UnaryAsync<TRequest, TResponse>(PeerAddress peer, Method<TRequest, TResponse> method, TRequest request, CancellationToken cancellationToken)
        where TRequest : class, Google.Protobuf.IMessage<TRequest>
        where TResponse : class, Google.Protobuf.IMessage<TResponse>
    {
        var callOptions = new CallOptions(Deadline: timeProvider.GetUtcNow().UtcDateTime + options.Value.CallTimeout, CancellationToken: cancellationToken);
        using var call = channels.Get(peer).AsyncUnaryCall(method, request, callOptions);
        return await call.ResponseAsync.ConfigureAwait(false);
    }
}
