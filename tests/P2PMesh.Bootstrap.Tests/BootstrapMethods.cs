using Grpc.Net.Client;
using P2PMesh.V1;

namespace P2PMesh.Bootstrap.Tests;

/// <summary>
/// Shorthands for tests: <c>p2pmesh.v1.Bootstrap</c> through the generated <see cref="V1.Bootstrap.BootstrapClient"/>
/// over a channel, each call with a 5 s deadline.
/// </summary>
public static class BootstrapMethods
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);

    public static PeerInfo Peer(string id, int port = 7000) => new() { Id = id, Address = $"127.0.0.1:{port}" };

    public static async Task<JoinReply> JoinAsync(this GrpcChannel channel, PeerInfo peer) =>
        await Client(channel).JoinAsync(peer, deadline: Deadline());

    public static async Task<bool> HeartbeatAsync(this GrpcChannel channel, PeerInfo peer) =>
        (await Client(channel).HeartbeatAsync(peer, deadline: Deadline())).Known;

    public static async Task LeaveAsync(this GrpcChannel channel, PeerInfo peer) =>
        await Client(channel).LeaveAsync(peer, deadline: Deadline());

    public static async Task<List<PeerInfo>> ListPeersAsync(this GrpcChannel channel) =>
        [.. (await Client(channel).ListPeersAsync(new ListPeersRequest(), deadline: Deadline())).Peers];

    public static async Task<List<string>> ListPeerIdsAsync(this GrpcChannel channel) =>
        [.. (await channel.ListPeersAsync()).Select(p => p.Id)];

    private static V1.Bootstrap.BootstrapClient Client(GrpcChannel channel) => new(channel);

    private static DateTime Deadline() => DateTime.UtcNow + CallTimeout;
}
