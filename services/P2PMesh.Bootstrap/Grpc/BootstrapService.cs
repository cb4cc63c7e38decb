using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;
using P2PMesh.Bootstrap.Peers;
using P2PMesh.Contracts;
using Grpc.Core;
using P2PMesh.ServiceDefaults.Admission;
using P2PMesh.V1;

namespace P2PMesh.Bootstrap.Grpc;

/// <summary>
/// <c>p2pmesh.v1.Bootstrap</c> (protos/p2pmesh/v1/bootstrap.proto): the rendezvous peers join through,
/// backed by <see cref="PeerRegistry"/>. Join, Heartbeat and Leave answer INVALID_ARGUMENT for a peer
/// whose id is empty, blank or longer than <see cref="PeerInfoValidation.MaxIdLength"/> characters, or
/// whose address is not <c>host:port</c> (see <see cref="PeerAddress.TryParse"/>). Addresses are stored
/// and returned in canonical form (e.g. <c>host:07000</c> becomes <c>host:7000</c>). With <c>Admission:Required</c>
/// (docs/security.md) every method needs a peer token (UNAUTHENTICATED otherwise) and Join, Heartbeat and Leave
/// PERMISSION_DENIED when the token does not name the request's peer; a Join from a source address already holding
/// <see cref="BootstrapOptions.MaxPeersPerSource"/> peers is RESOURCE_EXHAUSTED.
/// </summary>
public sealed class BootstrapService(PeerRegistry registry, CallerAdmission admission, IOptions<BootstrapOptions> options) : V1.Bootstrap.BootstrapBase
{
    /// <summary>
    /// Registers (or refreshes) the peer and returns a random sample of the other live peers (never the
    /// joiner) and the interval at which the peer should heartbeat.
    /// </summary>
    /// <exception cref="RpcException"><see cref="StatusCode.InvalidArgument"/>: a malformed peer.</exception>
    public override Task<JoinReply> Join(PeerInfo request, ServerCallContext context)
    {
        var peer = Admitted(request, context);
        var reply = new JoinReply { HeartbeatInterval = Duration.FromTimeSpan(options.Value.HeartbeatInterval) };
        try
        {
            reply.Neighbours.AddRange(registry.Join(peer, context.GetHttpContext().Connection.RemoteIpAddress));
        }
        catch (SourceFullException ex)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, ex.Message));
        }
        return Task.FromResult(reply);
    }

    /// <summary>
    /// Keeps a live peer alive; <c>known = false</c> (and nothing registered) when the Bootstrap does not
    /// know it, so the peer joins again.
    /// </summary>
    /// <exception cref="RpcException"><see cref="StatusCode.InvalidArgument"/>: a malformed peer.</exception>
    public override Task<HeartbeatReply> Heartbeat(PeerInfo request, ServerCallContext context) =>
        Task.FromResult(new HeartbeatReply { Known = registry.Heartbeat(Admitted(request, context)) });

    /// <summary>Removes the peer at once; succeeds also when it was not registered.</summary>
    /// <exception cref="RpcException"><see cref="StatusCode.InvalidArgument"/>: a malformed peer.</exception>
    public override Task<LeaveReply> Leave(PeerInfo request, ServerCallContext context)
    {
        registry.Leave(Admitted(request, context).Id);
        return Task.FromResult(new LeaveReply());
    }

    /// <summary>Every live peer, ordered by id.</summary>
    public override Task<ListPeersReply> ListPeers(ListPeersRequest request, ServerCallContext context)
    {
        var reply = new ListPeersReply();
        reply.Peers.AddRange(registry.Snapshot());
        return Task.FromResult(reply);
    }

    /// <summary>The validated peer with its address in canonical <c>host:port</c> form.</summary>
    // The request's peer, canonical, once the caller's token speaks for it (with Admission:Required; PERMISSION_DENIED
    // otherwise: a forged Join, Heartbeat or Leave cannot redirect or deregister another peer).
    private PeerInfo Admitted(PeerInfo request, ServerCallContext context)
    {
        var address = PeerInfoValidation.Validate(request, "peer").ToString();
        admission.DemandPeer(context, request.Id, address);
        return new PeerInfo { Id = request.Id, Address = address };
    }
}
