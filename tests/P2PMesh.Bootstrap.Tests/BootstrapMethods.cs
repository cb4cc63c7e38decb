using Grpc.Core;
using P2PMesh.V1;

namespace P2PMesh.Bootstrap.Tests;

/// <summary>Client handles of <c>p2pmesh.v1.Bootstrap</c>, from the descriptor, plus shorthands for tests.</summary>
public static class BootstrapMethods
{
    private static readonly Google.Protobuf.Reflection.ServiceDescriptor Service = BootstrapReflection.Descriptor.Services[0];

    public static readonly Method<PeerInfo, JoinReply> Join = new(Service, "Join");
    public static readonly Method<PeerInfo, HeartbeatReply> Heartbeat = new(Service, "Heartbeat");
    public static readonly Method<PeerInfo, LeaveReply> Leave = new(Service, "Leave");
    public static readonly Method<ListPeersRequest, ListPeersReply> ListPeers = new(Service, "ListPeers");

    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);

    public static PeerInfo Peer(string id, int port = 7000) => new() { Id = id, Address = $"127.0.0.1:{port}" };

    public static async Task<JoinReply> JoinAsync(this GrpcChannel channel, PeerInfo peer) =>
        await channel.AsyncUnaryCall(Join, peer, new CallOptions().WithTimeout(CallTimeout));

    public static async Task<bool> HeartbeatAsync(this GrpcChannel channel, PeerInfo peer) =>
        (await channel.AsyncUnaryCall(Heartbeat, peer, new CallOptions().WithTimeout(CallTimeout))).Known;

    public static async Task LeaveAsync(this GrpcChannel channel, PeerInfo peer) =>
        await channel.AsyncUnaryCall(Leave, peer, new CallOptions().WithTimeout(CallTimeout));

    public static async Task<List<PeerInfo>> ListPeersAsync(this GrpcChannel channel) =>
        [.. (await channel.AsyncUnaryCall(ListPeers, new ListPeersRequest(), new CallOptions().WithTimeout(CallTimeout))).Peers];

    public static async Task<List<string>> ListPeerIdsAsync(this GrpcChannel channel) =>
        [.. (await channel.ListPeersAsync()).Select(p => p.Id)];
}
