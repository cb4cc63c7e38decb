using Grpc.Core;
using P2PMesh.V1;

namespace P2PMesh.Bootstrap.Tests.Grpc;

/// <summary>Join, Heartbeat and Leave answer INVALID_ARGUMENT for a malformed peer, and accept well-formed ones.</summary>
public sealed class BootstrapValidationTests(BootstrapFixture fixture) : IClassFixture<BootstrapFixture>
{
    public static TheoryData<string, string, string, string> BadPeers()
    {
        var data = new TheoryData<string, string, string, string>();
        (string Id, string Address, string Field)[] peers =
        [
            ("", "127.0.0.1:7000", "id"),
            ("   ", "127.0.0.1:7000", "id"),
            (new string('x', 254), "127.0.0.1:7000", "id"),
            ("p", "", "address"),
            ("p", "nohost", "address"),
            ("p", "host:", "address"),
            ("p", ":80", "address"),
            ("p", "host:0", "address"),
            ("p", "host:65536", "address"),
            ("p", "host:abc", "address"),
            ("p", "host:-1", "address"),
            ("p", "[::1", "address"),
            ("p", "::1:7000", "address"),
            ("p", "bad host:7000", "address"),
        ];
        foreach (var method in new[] { "Join", "Heartbeat", "Leave" })
        {
            foreach (var (id, address, field) in peers)
            {
                data.Add(method, id, address, field);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(BadPeers))]
    public async Task MalformedPeer_InvalidArgumentNamingTheField(string method, string id, string address, string field)
    {
        var peer = new PeerInfo { Id = id, Address = address };

        var error = await Assert.ThrowsAsync<RpcException>(() => CallAsync(method, peer));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(field, error.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(id, await fixture.Host.Channel.ListPeerIdsAsync());
    }

    [Theory]
    [InlineData("[::1]:7000")]
    [InlineData("peer-0.peer.default.svc.cluster.local:7000")]
    [InlineData("10.1.2.3:1")]
    [InlineData("localhost:65535")]
    public async Task WellFormedPeer_Accepted(string address)
    {
        var peer = new PeerInfo { Id = $"valid-{address}", Address = address };

        await fixture.Host.Channel.JoinAsync(peer);
        var known = await fixture.Host.Channel.HeartbeatAsync(peer);
        var listed = (await fixture.Host.Channel.ListPeersAsync()).Any(p => p.Id == peer.Id && p.Address == address);
        await fixture.Host.Channel.LeaveAsync(peer);

        Assert.True(known);
        Assert.True(listed);
        Assert.DoesNotContain(peer.Id, await fixture.Host.Channel.ListPeerIdsAsync());
    }

    [Fact]
    public async Task IdOfMaximumLength_Accepted()
    {
        var peer = new PeerInfo { Id = new string('x', 253), Address = "127.0.0.1:7000" };

        await fixture.Host.Channel.JoinAsync(peer);

        Assert.True(await fixture.Host.Channel.HeartbeatAsync(peer));
        await fixture.Host.Channel.LeaveAsync(peer);
    }

    private Task CallAsync(string method, PeerInfo peer) => method switch
    {
        "Join" => fixture.Host.Channel.JoinAsync(peer),
        "Heartbeat" => fixture.Host.Channel.HeartbeatAsync(peer),
        "Leave" => fixture.Host.Channel.LeaveAsync(peer),
        _ => throw new ArgumentOutOfRangeException(nameof(method)),
    };
}
