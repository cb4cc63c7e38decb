using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using P2PMesh.Bootstrap.Tests;
using P2PMesh.Contracts;
using P2PMesh.Core.Peers;
using Grpc.Core;
using P2PMesh.V1;

namespace P2PMesh.PServer.Tests.Mesh;

/// <summary>
/// Neighbour links as the peers make them on their own: joining through the Bootstrap, symmetric and
/// bounded links, dead neighbours replaced, re-knitting with the Bootstrap down, DNS seeds, Leave.
/// </summary>
public sealed class NeighbourMaintenanceTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static string[] AutoSettings(BootstrapHost? bootstrap, int degree = 3) =>
    [
        "--Neighbours:AutoDiscover=true",
        $"--Neighbours:TargetDegree={degree}",
        "--Neighbours:MaintenanceInterval=00:00:00.2",
        "--Neighbours:CallTimeout=00:00:05",   // a dead peer refuses at once; a busy test run must not look dead
        .. bootstrap is null ? Array.Empty<string>() : [$"--Neighbours:Bootstrap=127.0.0.1:{bootstrap.Address.Port}"],
    ];

    [Fact]
    public async Task Join_ThroughBootstrap_SymmetricBoundedConnectedMesh()
    {
        await using var bootstrap = await BootstrapHost.StartAsync("--Bootstrap:HeartbeatInterval=00:00:00.5", "--Bootstrap:PeerExpiry=00:00:05");
        await using var mesh = await TestMesh.StartAsync(12, _ => AutoSettings(bootstrap));

        await EventuallyAsync(() => Enumerable.Range(0, 12).All(i => mesh[i].Neighbours.Count >= 3) && IsSymmetric(mesh));

        for (var i = 0; i < 12; i++)
        {
            Assert.InRange(mesh[i].Neighbours.Count, 3, 6);
            Assert.DoesNotContain(mesh[i].Neighbours.Snapshot(), n => n.Id == mesh[i].Id);
        }
        var outcome = await mesh.SearchAsync(0, "*", 10);
        Assert.Equal(12u, outcome.Stats.PeersReached);
    }

    [Fact]
    public async Task Link_PeerAtMaximumDegree_ResourceExhaustedAndJoinerTriesAnother()
    {
        await using var mesh = await TestMesh.StartAsync(3, i => ["--Neighbours:MaxDegree=1", "--Neighbours:TargetDegree=1"]);
        await mesh.ConnectAsync(Topology.Line(2));   // p0 – p1: both now full
        var p2 = mesh[2].Services.GetRequiredService<MeshClient>();

        var ex = await Assert.ThrowsAsync<RpcException>(() => p2.LinkAsync(Address(mesh[0]), CancellationToken.None));

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Equal(1, mesh[0].Neighbours.Count);
    }

    [Theory]
    [InlineData("", "127.0.0.1:1")]
    [InlineData("x", "no-port")]
    [InlineData("p0", "127.0.0.1:1")]   // the callee itself
    public async Task Link_BadOrSelfSender_InvalidArgument(string id, string address)
    {
        await using var host = await PServerHost.StartAsync("--Peer:Id=p0");
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            await host.Client.LinkAsync(new LinkRequest { Sender = new PeerInfo { Id = id, Address = address } }));
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal(0, host.Neighbours.Count);
    }

    [Fact]
    public async Task DeadNeighbour_DetectedByPingAndReplacedFromBootstrap()
    {
        await using var bootstrap = await BootstrapHost.StartAsync("--Bootstrap:HeartbeatInterval=00:00:00.5", "--Bootstrap:PeerExpiry=00:00:02");
        await using var mesh = await TestMesh.StartAsync(8, _ => [.. AutoSettings(bootstrap, degree: 2), "--Neighbours:MaxMissedPings=2"]);
        await EventuallyAsync(() => Enumerable.Range(0, 8).All(i => mesh[i].Neighbours.Count >= 2));
        var victim = mesh[0].Neighbours.Snapshot()[0].Id;
        var victimIndex = mesh.IndexOf(victim);

        await mesh.KillAsync(victimIndex);

        var alive = Enumerable.Range(0, 8).Where(i => i != victimIndex).ToList();
        await EventuallyAsync(() => alive.All(i => !mesh[i].Neighbours.Contains(victim) && mesh[i].Neighbours.Count >= 2) && IsSymmetric(mesh));
        var outcome = await mesh.SearchAsync(alive[0], "*", 10);
        Assert.Equal((uint)alive.Count, outcome.Stats.PeersReached);
        Assert.Equal(0u, outcome.Stats.Errors);
    }

    [Fact]
    public async Task BootstrapDown_MeshReknitsThroughPeerExchange()
    {
        var bootstrap = await BootstrapHost.StartAsync("--Bootstrap:HeartbeatInterval=00:00:00.5", "--Bootstrap:PeerExpiry=00:00:05");
        await using var mesh = await TestMesh.StartAsync(10, _ => AutoSettings(bootstrap, degree: 3));
        await EventuallyAsync(() => Enumerable.Range(0, 10).All(i => mesh[i].Neighbours.Count >= 3));
        await bootstrap.DisposeAsync();

        // Two peers crash; their former neighbours must find replacements among neighbours' neighbours.
        await mesh.KillAsync(4);
        await mesh.KillAsync(7);

        var alive = Enumerable.Range(0, 10).Except([4, 7]).ToList();
        await EventuallyAsync(() => alive.All(i => mesh[i].Neighbours.Count >= 3
            && !mesh[i].Neighbours.Contains("p4") && !mesh[i].Neighbours.Contains("p7")) && IsSymmetric(mesh));
        var outcome = await mesh.SearchAsync(alive[0], "*", 10);
        Assert.Equal((uint)alive.Count, outcome.Stats.PeersReached);
    }

    [Fact]
    public async Task DnsSeed_ResolvesToPeer_Linked()
    {
        await using var seed = await PServerHost.StartAsync("--Peer:Id=seed");
        // "localhost" resolves to loopback: with the seed's port, it stands for a headless Service name.
        await using var joiner = await PServerHost.StartAsync([
            "--Peer:Id=joiner", .. AutoSettings(null, degree: 1), "--Neighbours:DnsSeed=localhost", $"--Neighbours:DnsSeedPort={seed.Address.Port}"]);

        await EventuallyAsync(() => joiner.Neighbours.Contains("seed") && seed.Neighbours.Contains("joiner"));
    }

    [Fact]
    public async Task GracefulStop_LeavesBootstrapAndNeighbours()
    {
        await using var bootstrap = await BootstrapHost.StartAsync("--Bootstrap:HeartbeatInterval=00:00:00.5", "--Bootstrap:PeerExpiry=00:01:00");
        await using var mesh = await TestMesh.StartAsync(4, _ => AutoSettings(bootstrap, degree: 2));
        await EventuallyAsync(() => mesh[3].Neighbours.Count >= 2);
        var formerNeighbours = mesh[3].Neighbours.Snapshot().Select(n => mesh.IndexOf(n.Id)).ToList();

        await mesh.StopAsync(3);

        Assert.All(formerNeighbours, i => Assert.False(mesh[i].Neighbours.Contains("p3")));
        Assert.DoesNotContain("p3", await bootstrap.Channel.ListPeerIdsAsync());   // gone at once, long before it would expire
    }

    [Fact]
    public async Task OneSidedLink_RepairedByMaintenance()
    {
        await using var mesh = await TestMesh.StartAsync(2, _ => ["--Neighbours:MaintenanceInterval=00:00:00.2"]);
        await mesh.ConnectAsync(Topology.Line(2));
        mesh[1].Neighbours.Remove("p0");   // p1 forgets p0 (as after a restart); p0 still lists p1

        // p0's next ping learns it is not linked and asks again.
        await EventuallyAsync(() => mesh[1].Neighbours.Contains("p0") && mesh[0].Neighbours.Contains("p1"));
    }

    private static PeerAddress Address(PServerHost host) => new("127.0.0.1", host.Address.Port);

    private static bool IsSymmetric(TestMesh mesh)
    {
        for (var i = 0; i < mesh.Count; i++)
        {
            PServerHost peer;
            try
            {
                peer = mesh[i];
            }
            catch (InvalidOperationException)
            {
                continue;   // stopped
            }
            foreach (var n in peer.Neighbours.Snapshot())
            {
                try
                {
                    if (!mesh[mesh.IndexOf(n.Id)].Neighbours.Contains(peer.Id))
                    {
                        return false;
                    }
                }
                catch (InvalidOperationException)
                {
                    return false;   // still lists a stopped peer
                }
            }
        }
        return true;
    }

    private static async Task EventuallyAsync(Func<bool> condition)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(stopwatch.Elapsed < Patience, "condition not reached within " + Patience);
            await Task.Delay(50);
        }
    }
}
