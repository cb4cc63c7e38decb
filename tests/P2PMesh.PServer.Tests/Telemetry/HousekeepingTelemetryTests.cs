using System.Diagnostics;
using System.Diagnostics.Metrics;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;
using P2PMesh.Bootstrap.Tests;
using P2PMesh.Contracts;
using P2PMesh.Core.Peers;
using P2PMesh.PServer.Tests.Mesh;
using P2PMesh.ServiceDefaults.Telemetry;
using GrpcHealth = Grpc.Health.V1.Health;

namespace P2PMesh.PServer.Tests.Telemetry;

/// <summary>
/// Housekeeping starts no trace (<see cref="HousekeepingCalls"/>): a Bootstrap and four PServers find each other on
/// their own (Join, Heartbeat, Link, Ping every 0.2 s; Unlink and Leave when they stop) and answer the kubelet's gRPC
/// health checks, while a client's flood search runs through them. The search's trace is recorded whole, and it is
/// the only one. The hosts' own request metrics (<c>http.server.request.duration</c> by route) show the housekeeping
/// happened. Inside a sampled trace, a housekeeping call is traced like any other.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class HousekeepingTelemetryTests
{
    private const int Peers = 4;
    private const uint Ttl = 5;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly HousekeepingCalls Housekeeping = new(HousekeepingMethods.Paths);
    private static readonly string PingPath = Path("Ping");
    private static readonly string HealthCheckPath = $"/{GrpcHealth.Descriptor.FullName}/Check";

    [Theory]
    [InlineData(null)]          // parent-based, always on (the default)
    [InlineData("always_on")]   // which alone would sample every housekeeping call, caller's and callee's half
    public async Task Maintenance_AndHealthChecks_StartNoTrace_WhileTheFloodIsTracedWhole(string? sampler)
    {
        // Arrange
        using var telemetry = TelemetryCapture.Start(sampler is null ? null : new AlwaysOnSampler());
        (SearchOutcome Outcome, ActivityContext Caller) search;
        IMeterFactory[] hosts;
        await using (var bootstrap = await BootstrapHost.StartAsync("--Bootstrap:HeartbeatInterval=00:00:00.5", "--Bootstrap:PeerExpiry=00:00:05"))
        {
            await using (var mesh = await TestMesh.StartAsync(Peers, _ =>
            [
                "--Neighbours:AutoDiscover=true",
                "--Neighbours:TargetDegree=2",
                "--Neighbours:MaintenanceInterval=00:00:00.2",
                "--Neighbours:CallTimeout=00:00:05",
                $"--Neighbours:Bootstrap=127.0.0.1:{bootstrap.Address.Port}",
            ]))
            {
                hosts = [.. Enumerable.Range(0, Peers).Select(i => mesh[i].Services).Append(bootstrap.Services).Select(s => s.GetRequiredService<IMeterFactory>())];
                await mesh[Peers - 1].AddFileAsync("needle.bin", [1, 2, 3]);

                // Act: the peers join and link on their own, then ping their neighbours.
                await EventuallyAsync(() => Enumerable.Range(0, Peers).All(i => mesh[i].Neighbours.Count >= 2), "every peer has two neighbours");
                await EventuallyAsync(() => Enumerable.Range(0, Peers).All(i => telemetry.Served(mesh[i].Services, PingPath) > 0), "every peer answered a Ping");
                await EventuallyAsync(() => telemetry.Served(bootstrap.Services, BootstrapPath("Heartbeat")) > 0, "a peer heartbeated");

                // The kubelet's probes: a health check of every host, from a client that is not traced and sends no traceparent.
                foreach (var address in Enumerable.Range(0, Peers).Select(i => mesh[i].Address).Append(bootstrap.Address))
                {
                    Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await KubeletCheckAsync(address));
                }

                // A user's flood search, from a client that is itself traced.
                search = await TracedSearch.RunAsync(mesh, Ttl);
            } // the peers stop: they unlink and leave the bootstrap.
        } // and so does the bootstrap.

        // Assert: the housekeeping calls were made and answered (by route, over every host).
        Assert.Single(search.Outcome.Hits);
        Assert.True(telemetry.Served((IMeterFactory?)null, Path("Link")) >= Peers, "fewer links than peers");
        Assert.True(telemetry.Served((IMeterFactory?)null, PingPath) >= Peers, "fewer pings than peers");
        Assert.True(telemetry.Served((IMeterFactory?)null, BootstrapPath("Join")) >= Peers, "not every peer joined");
        Assert.True(telemetry.Served((IMeterFactory?)null, BootstrapPath("Leave")) >= Peers, "not every peer left");
        Assert.Equal(Peers + 1, hosts.Sum(h => telemetry.Served(h, HealthCheckPath)));

        // ... and every span recorded belongs to the search's trace: no housekeeping call started one.
        var spans = telemetry.Spans;
        Assert.All(spans, s => Assert.True(s.TraceId == search.Caller.TraceId, $"{s.Kind} {s.DisplayName} ({s.GetTagItem("url.path")}) is not the search's"));
        Assert.DoesNotContain(spans, s => Housekeeping.IsRpcSpanName(s.DisplayName) || Housekeeping.IsRequestPath(s.GetTagItem("url.path") as string ?? ""));

        // The search's trace is whole: one server span per Search request received (the origin's plus one per forward),
        // one client span per forward and the caller's own, one connected tree under the caller's span.
        var servers = spans.Where(s => s.Kind == ActivityKind.Server).ToList();
        var clients = spans.Where(s => s.Kind == ActivityKind.Client).ToList();
        Assert.Equal((int)search.Outcome.Stats.Messages + 1, servers.Count);
        Assert.Equal((int)search.Outcome.Stats.Messages + 1, clients.Count);
        Assert.All(servers, s => Assert.Equal("/p2pmesh.v1.Peer/Search", s.GetTagItem("url.path")));
        Assert.All(clients, s => Assert.Equal("p2pmesh.v1.Peer/Search", s.DisplayName));
        var byId = spans.ToDictionary(s => s.SpanId);
        var root = Assert.Single(spans, s => !byId.ContainsKey(s.ParentSpanId));
        Assert.Equal((search.Caller.SpanId, ActivityKind.Client), (root.ParentSpanId, root.Kind));
        Assert.Equal((int)search.Outcome.Stats.PeersReached, servers.Select(s => s.GetTagItem("server.port")).Distinct().Count());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task GetNeighbours_InsideOrOutsideASampledTrace_TracedOnlyInside(bool sampledParent)
    {
        // Arrange
        using var telemetry = TelemetryCapture.Start();
        await using var mesh = await TestMesh.StartAsync(2);
        await mesh.ConnectAsync(Topology.Line(2));
        var peers = mesh[0].Services.GetRequiredService<MeshClient>();
        var p1 = new PeerAddress("127.0.0.1", mesh[1].Address.Port);
        using var caller = sampledParent ? new Activity("p2pmesh.tests.caller") : null;
        caller?.SetParentId(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded).Start();

        // Act: p0 asks p1 for its neighbours (as the PClient-API's GET /api/peers does), then the same once more
        // outside any trace, as a control that ends after the first call's spans.
        var reply = await peers.GetNeighboursAsync(p1, CancellationToken.None);
        caller?.Stop();
        Activity.Current = null;
        await peers.PingAsync(p1, CancellationToken.None);
        await EventuallyAsync(() => telemetry.Served(mesh[1].Services, PingPath) >= 1, "p1 served the Ping");

        // Assert
        Assert.Equal("p0", Assert.Single(reply.Neighbours).Id);
        var path = Path("GetNeighbours");
        if (caller is null)
        {
            Assert.Empty(telemetry.Spans);
            return;
        }
        var spans = await telemetry.SpansWhenAsync(s => s.Any(x => x.Kind == ActivityKind.Server), "the GetNeighbours server span");
        var client = Assert.Single(spans, s => s.Kind == ActivityKind.Client);
        var server = Assert.Single(spans, s => s.Kind == ActivityKind.Server);
        Assert.Equal((caller.TraceId, caller.SpanId, path[1..]), (client.TraceId, client.ParentSpanId, client.DisplayName));
        Assert.Equal((caller.TraceId, client.SpanId, path), (server.TraceId, server.ParentSpanId, server.GetTagItem("url.path")));
        Assert.Equal(mesh[1].Address.Port, Convert.ToInt32(server.GetTagItem("server.port")));
    }

    /// <summary>A probe as the kubelet makes it: <c>grpc.health.v1.Health/Check</c> of <c>""</c>, with no trace context at all.</summary>
    private static async Task<HealthCheckResponse.Types.ServingStatus> KubeletCheckAsync(Uri address)
    {
        using var suppressed = SuppressInstrumentationScope.Begin();
        using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { ActivityHeadersPropagator = null } });
        return (await new GrpcHealth.HealthClient(channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow + Patience)).Status;
    }

    private static string Path(string peerMethod) => $"/{V1.Peer.Descriptor.FullName}/{peerMethod}";

    private static string BootstrapPath(string method) => $"/{V1.Bootstrap.Descriptor.FullName}/{method}";

    private static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(stopwatch.Elapsed < Patience, $"not within {Patience.TotalSeconds:0} s: {what}");
            await Task.Delay(50);
        }
    }
}
