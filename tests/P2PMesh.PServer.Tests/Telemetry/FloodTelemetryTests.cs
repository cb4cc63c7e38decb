using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using P2PMesh.Core.Telemetry;
using P2PMesh.PServer.Tests.Mesh;
using Xunit.Abstractions;

namespace P2PMesh.PServer.Tests.Telemetry;

/// <summary>
/// A real flood over ten in-process PServers, traced by one process-wide provider: the spans form one trace whose tree
/// mirrors the flood (each hop's server span carries the hop's <see cref="MeshSpanAttributes"/>), and each peer's
/// <c>P2PMesh</c> counters add up to the flood's statistics.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class FloodTelemetryTests(ITestOutputHelper output)
{
    private const int Peers = 10;
    private const int Ttl = 6;
    private const string SearchPath = "/p2pmesh.v1.Peer/Search";

    [Fact]
    public async Task Search_Traced_OneTraceMirroringTheFloodAndCountsOnce()
    {
        // Arrange
        var topology = Topology.RandomRegular(Peers, 3, seed: 5);
        var holders = new HashSet<int> { 2, 5, 7 };
        var queryId = Guid.NewGuid().ToByteArray();
        using var telemetry = TelemetryCapture.Start();
        await using var mesh = await TestMesh.StartAsync(Peers, _ => ["--Neighbours:MaxDegree=16"]);
        await mesh.ConnectAsync(topology);
        foreach (var holder in holders)
        {
            await mesh[holder].AddFileAsync("needle.bin", [1, 2, (byte)holder]);
        }
        var peerByPort = Enumerable.Range(0, Peers).ToDictionary(i => mesh[i].Address.Port, i => $"p{i}");

        // Act: a client that is itself traced starts the search at p0.
        var (outcome, caller) = await TracedSearch.RunAsync(mesh, Ttl, queryId);

        // Assert: the flood itself went as the theory says.
        var prediction = topology.Predict(0, Ttl);
        Assert.Equal(prediction.Reached.Count, (int)outcome.Stats.PeersReached);
        Assert.Equal(0u, outcome.Stats.Errors + outcome.Stats.DeadlineExceeded);

        // Every hop's server span ends with its response (the origin's last): wait for all of them.
        var expectedServers = (int)outcome.Stats.Messages + 1;
        var trace = (await telemetry.SpansWhenAsync(
            spans => spans.Count(s => s.TraceId == caller.TraceId && s.Kind == ActivityKind.Server) >= expectedServers,
            $"{expectedServers} server spans")).Where(s => s.TraceId == caller.TraceId).ToList();
        foreach (var span in trace)
        {
            output.WriteLine($"{span.Kind} {span.Source.Name} {span.DisplayName} {span.SpanId} <- {span.ParentSpanId}: {string.Join(", ", span.TagObjects.Select(t => $"{t.Key}={t.Value}"))}");
        }

        // No span twice; only gRPC client spans and ASP.NET Core's request spans (HttpClient's under the gRPC client
        // spans are suppressed).
        Assert.Equal(trace.Count, trace.Select(s => s.SpanId).Distinct().Count());
        var servers = trace.Where(s => s.Kind == ActivityKind.Server).ToList();
        var clients = trace.Where(s => s.Kind == ActivityKind.Client).ToList();
        Assert.Equal(trace.Count, servers.Count + clients.Count);
        Assert.All(servers, s => Assert.Equal("Microsoft.AspNetCore", s.Source.Name));
        Assert.All(clients, s => Assert.Equal("p2pmesh.v1.Peer/Search", s.DisplayName));
        var byId = trace.ToDictionary(s => s.SpanId);

        // One connected tree under the caller's span: the caller's own gRPC client span, then p0's server span.
        var root = Assert.Single(trace, s => !byId.ContainsKey(s.ParentSpanId));
        Assert.Equal((caller.SpanId, ActivityKind.Client), (root.ParentSpanId, root.Kind));
        var origin = Assert.Single(servers, s => s.ParentSpanId == root.SpanId);
        Assert.Equal("p0", PeerOf(origin, peerByPort));

        // One server span per Search request received (the origin's plus one per forward), one client span per forward.
        Assert.Equal(expectedServers, servers.Count);
        Assert.Equal((int)outcome.Stats.Messages, clients.Count - 1);
        foreach (var server in servers)
        {
            Assert.Equal(SearchPath, server.GetTagItem("url.path"));
            Assert.Equal(200, Convert.ToInt32(server.GetTagItem("http.response.status_code")));
            Assert.Equal(0, Convert.ToInt32(server.GetTagItem("grpc.status_code")));
            Assert.Equal(Convert.ToHexStringLower(queryId), server.GetTagItem(MeshSpanAttributes.QueryId));
            var hops = (long)server.GetTagItem(MeshSpanAttributes.Hops)!;
            Assert.Equal(Ttl - hops, (long)server.GetTagItem(MeshSpanAttributes.Ttl)!);
            if (server == origin)
            {
                Assert.Equal(0, hops);
                continue;
            }
            // Parent links: server <- the sender's client span <- the sender's own server span, one hop up.
            var client = byId[server.ParentSpanId];
            Assert.Equal(ActivityKind.Client, client.Kind);
            Assert.Equal(PeerOf(server, peerByPort), peerByPort[Convert.ToInt32(client.GetTagItem("server.port"))]);
            var senderServer = byId[client.ParentSpanId];
            Assert.Equal(ActivityKind.Server, senderServer.Kind);
            Assert.Equal(PeerOf(senderServer, peerByPort), server.GetTagItem(MeshSpanAttributes.Sender));
            Assert.Equal(hops - 1, (long)senderServer.GetTagItem(MeshSpanAttributes.Hops)!);
        }
        // Every reached peer shows up once as a non-duplicate hop.
        var firstVisits = servers.Where(s => !(bool)s.GetTagItem(MeshSpanAttributes.Duplicate)!).ToList();
        Assert.Equal(prediction.Reached.Select(i => $"p{i}").Order(), firstVisits.Select(s => PeerOf(s, peerByPort)).Order());
        Assert.Equal((int)outcome.Stats.Duplicates, servers.Count - firstVisits.Count);
        Assert.Equal(outcome.Hits.Count, servers.Sum(s => (long)s.GetTagItem(MeshSpanAttributes.Hits)!));
        Assert.Equal(holders.Intersect(prediction.Reached).Count(), outcome.Hits.Count);
        foreach (var visit in firstVisits)
        {
            // The first copy to arrive need not have come the shortest way (forwards race).
            var peer = int.Parse(PeerOf(visit, peerByPort)[1..]);
            Assert.InRange((long)visit.GetTagItem(MeshSpanAttributes.Hops)!, prediction.Distances[peer], Ttl);
        }

        // Metrics: each peer's own instruments, added up, equal the flood's statistics.
        double Sum(string name) => Enumerable.Range(0, Peers).Sum(i => telemetry.Measurements(mesh[i].Services, name).Sum(m => m.Value));
        int Count(string name) => Enumerable.Range(0, Peers).Sum(i => telemetry.Measurements(mesh[i].Services, name).Count);
        Assert.Equal(1, telemetry.Measurements(mesh[0].Services, MeshInstrumentNames.SearchStarted).Sum(m => m.Value));
        Assert.Equal(1, Sum(MeshInstrumentNames.SearchStarted));
        Assert.Equal(outcome.Stats.Messages + 1, Sum(MeshInstrumentNames.QueryReceived));
        Assert.Equal(outcome.Stats.Messages, Sum(MeshInstrumentNames.QueryForwarded));
        Assert.Equal(outcome.Stats.Duplicates, Sum(MeshInstrumentNames.QueryDuplicates));
        Assert.Equal(outcome.Hits.Count, Sum(MeshInstrumentNames.SearchHits));
        Assert.Equal((int)outcome.Stats.Messages + 1, Count(MeshInstrumentNames.QueryHops));
        Assert.Single(telemetry.Measurements(mesh[0].Services, MeshInstrumentNames.SearchDuration));
        Assert.Equal(1, Count(MeshInstrumentNames.SearchDuration));
        telemetry.CollectGauges();
        for (var i = 0; i < Peers; i++)
        {
            Assert.Equal(topology.Neighbours(i).Count, telemetry.Measurements(mesh[i].Services, MeshInstrumentNames.Neighbours)[^1].Value);
            Assert.Equal(holders.Contains(i) ? 1 : 0, telemetry.Measurements(mesh[i].Services, MeshInstrumentNames.IndexFiles)[^1].Value);
            Assert.Equal(holders.Contains(i) ? 3 : 0, telemetry.Measurements(mesh[i].Services, MeshInstrumentNames.IndexSize)[^1].Value);
        }
    }

    [Fact]
    public async Task Search_WithoutOtlpEndpoint_NoProviderInAnyHost()
    {
        // Arrange: a mesh with no OTEL_* settings at all.
        var topology = Topology.Ring(4);
        await using var mesh = await TestMesh.StartAsync(topology.Count);
        await mesh.ConnectAsync(topology);
        await mesh[2].AddFileAsync("needle.bin", [1]);

        // Act
        var outcome = await mesh.SearchAsync(0, "*.bin", Ttl);

        // Assert: the search works, and no host built a provider (nor so an exporter).
        Assert.Single(outcome.Hits);
        for (var i = 0; i < topology.Count; i++)
        {
            Assert.Null(mesh[i].Services.GetService<TracerProvider>());
            Assert.Null(mesh[i].Services.GetService<MeterProvider>());
        }
    }

    /// <summary>The peer whose ASP.NET Core request span <paramref name="server"/> is (by the port the request came to).</summary>
    private static string PeerOf(Activity server, Dictionary<int, string> peerByPort) => peerByPort[Convert.ToInt32(server.GetTagItem("server.port"))];
}
