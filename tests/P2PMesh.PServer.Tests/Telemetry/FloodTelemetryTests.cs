using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Proto.Trace.V1;
using OpenTelemetry.Trace;
using P2PMesh.Core.Telemetry;
using Grpc.Core;
using P2PMesh.PServer.Tests.Mesh;
using P2PMesh.ServiceDefaults.Telemetry;
using P2PMesh.Testing.Otlp;

namespace P2PMesh.PServer.Tests.Telemetry;

/// <summary>
/// A real flood over ten in-process PServers, each exporting over OTLP to a loopback receiver: the
/// spans form one trace whose tree mirrors the flood, each under its own peer's resource, and the
/// counters add up to the flood's statistics (no host exports another's data).
/// </summary>
public sealed class FloodTelemetryTests
{
    private const int Peers = 10;
    private const int Ttl = 6;

    [Theory]
    [InlineData("http/protobuf")]
    [InlineData("grpc")]
    public async Task Search_WithOtlpEndpoint_ExportsOneTraceMirroringTheFloodAndCountsOnce(string protocol)
    {
        // Arrange
        var topology = Topology.RandomRegular(Peers, 3, seed: 5);
        var holders = new HashSet<int> { 2, 5, 7 };
        await using var receiver = await OtlpReceiver.StartAsync();
        var endpoint = protocol == "grpc" ? receiver.GrpcEndpoint : receiver.HttpEndpoint;
        var traceId = ActivityTraceId.CreateRandom();
        var callerSpanId = ActivitySpanId.CreateRandom();
        var queryId = Guid.NewGuid().ToByteArray();
        SearchOutcome outcome;
        await using (var mesh = await TestMesh.StartAsync(Peers, _ =>
        [
            "--Neighbours:MaxDegree=16",
            $"--OTEL_EXPORTER_OTLP_ENDPOINT={endpoint.AbsoluteUri.TrimEnd('/')}",
            $"--OTEL_EXPORTER_OTLP_PROTOCOL={protocol}",
        ]))
        {
            await mesh.ConnectAsync(topology);
            foreach (var holder in holders)
            {
                await mesh[holder].AddFileAsync("needle.bin", [1, 2, (byte)holder]);
            }

            // Act: a client that is itself traced (traceparent in the metadata) starts the search at p0.
            outcome = await TracedSearch.RunAsync(mesh, $"00-{traceId}-{callerSpanId}-01", Ttl, queryId);

            // An export now, while every link is up, for the gauges (stopping peers unlink first).
            for (var i = 0; i < Peers; i++)
            {
                Assert.True(mesh[i].Services.GetRequiredService<OtlpTelemetryService>().MeterProvider!.ForceFlush());
            }
        } // every host stops here: its providers flush their spans and a final metrics export.

        // Assert: the flood itself went as the theory says.
        var prediction = topology.Predict(0, Ttl);
        Assert.Equal(prediction.Reached.Count, (int)outcome.Stats.PeersReached);
        Assert.Equal(0u, outcome.Stats.Errors + outcome.Stats.DeadlineExceeded);
        var trace = receiver.Spans.Where(s => s.TraceId == traceId.ToHexString()).ToList();

        // No span twice (ten providers in one process, each exported only its own), all from the gRPC
        // layer but HttpClient's, which sit under the gRPC client spans: ASP.NET Core's request
        // activities were replaced by the gRPC server spans.
        Assert.Equal(trace.Count, trace.Select(s => s.SpanId).Distinct().Count());
        Assert.All(trace, s => Assert.Contains(s.Scope.Name, new[] { GrpcTelemetry.ActivitySourceName, "System.Net.Http" }));
        Assert.All(trace, s => Assert.Equal("p2pmesh-pserver", s.ServiceName));
        var byId = trace.ToDictionary(s => s.SpanId);
        var spans = trace.Where(s => s.Scope.Name == GrpcTelemetry.ActivitySourceName).ToList();
        foreach (var http in trace.Where(s => s.Scope.Name == "System.Net.Http"))
        {
            var parent = byId[http.ParentSpanId!];
            Assert.Equal((Span.Types.SpanKind.Client, GrpcTelemetry.ActivitySourceName, parent.ServiceInstanceId), (http.Span.Kind, parent.Scope.Name, http.ServiceInstanceId));
        }

        // One connected tree, rooted at the caller's span.
        var root = Assert.Single(spans, s => s.ParentSpanId is null || !byId.ContainsKey(s.ParentSpanId));
        Assert.Equal(callerSpanId.ToHexString(), root.ParentSpanId);
        Assert.Equal(Span.Types.SpanKind.Server, root.Span.Kind);
        Assert.Equal("p0", root.ServiceInstanceId);

        // One server span per Search request received: the origin's plus one per forward.
        var servers = spans.Where(s => s.Span.Kind == Span.Types.SpanKind.Server).ToList();
        var clients = spans.Where(s => s.Span.Kind == Span.Types.SpanKind.Client).ToList();
        Assert.Equal((int)outcome.Stats.Messages + 1, servers.Count);
        Assert.Equal((int)outcome.Stats.Messages, clients.Count);
        Assert.Equal(spans.Count, servers.Count + clients.Count);
        foreach (var server in servers)
        {
            Assert.Equal("p2pmesh.v1.Peer/Search", server.Span.Name);
            Assert.Equal("grpc", server.Attribute("rpc.system")!.StringValue);
            Assert.Equal("p2pmesh.v1.Peer", server.Attribute("rpc.service")!.StringValue);
            Assert.Equal("Search", server.Attribute("rpc.method")!.StringValue);
            Assert.Equal(0, server.Attribute("rpc.grpc.status_code")!.IntValue);
            Assert.Equal(Convert.ToHexStringLower(queryId), server.Attribute(MeshSpanAttributes.QueryId)!.StringValue);
            var hops = server.Attribute(MeshSpanAttributes.Hops)!.IntValue;
            Assert.Equal(Ttl - hops, server.Attribute(MeshSpanAttributes.Ttl)!.IntValue);
            if (server == root)
            {
                Assert.Equal(0, hops);
                continue;
            }
            // Parent links: server <- the sender's client span <- the sender's own server span, one hop up.
            var client = byId[server.ParentSpanId!];
            Assert.Equal(Span.Types.SpanKind.Client, client.Span.Kind);
            Assert.Equal(server.Attribute(MeshSpanAttributes.Sender)!.StringValue, client.ServiceInstanceId);
            Assert.Equal($"127.0.0.1", client.Attribute("server.address")!.StringValue);
            var senderServer = byId[client.ParentSpanId!];
            Assert.Equal(Span.Types.SpanKind.Server, senderServer.Span.Kind);
            Assert.Equal(client.ServiceInstanceId, senderServer.ServiceInstanceId);
            Assert.Equal(hops - 1, senderServer.Attribute(MeshSpanAttributes.Hops)!.IntValue);
            Assert.Equal(client.Span.TraceId, server.Span.TraceId);
        }
        // Every reached peer shows up once as a non-duplicate hop, under its own service.instance.id.
        var firstVisits = servers.Where(s => !s.Attribute(MeshSpanAttributes.Duplicate)!.BoolValue).ToList();
        Assert.Equal(prediction.Reached.Select(i => $"p{i}").Order(), firstVisits.Select(s => s.ServiceInstanceId!).Order());
        Assert.Equal((int)outcome.Stats.Duplicates, servers.Count - firstVisits.Count);
        Assert.Equal(outcome.Hits.Count, (int)servers.Sum(s => s.Attribute(MeshSpanAttributes.Hits)!.IntValue));
        Assert.Equal(holders.Intersect(prediction.Reached).Count(), outcome.Hits.Count);
        foreach (var visit in firstVisits)
        {
            // The first copy to arrive need not have come the shortest way (forwards race).
            Assert.InRange(visit.Attribute(MeshSpanAttributes.Hops)!.IntValue, prediction.Distances[int.Parse(visit.ServiceInstanceId![1..])], Ttl);
        }

        // Metrics: each peer's final cumulative values, added up, equal the flood's statistics.
        var metrics = receiver.Metrics.Where(m => m.Scope.Name == MeshInstrumentNames.MeterName).ToList();
        Assert.All(metrics, m => Assert.Equal("p2pmesh-pserver", m.ServiceName));
        Assert.Equal(Enumerable.Range(0, Peers).Select(i => $"p{i}").Order(), metrics.Select(m => m.ServiceInstanceId!).Distinct().Order());
        double Final(string name, string peer) =>
            metrics.LastOrDefault(m => m.Metric.Name == name && m.ServiceInstanceId == peer)?.Total ?? 0;
        double Sum(string name) => Enumerable.Range(0, Peers).Sum(i => Final(name, $"p{i}"));
        Assert.Equal(1, Final(MeshInstrumentNames.SearchStarted, "p0"));
        Assert.Equal(1, Sum(MeshInstrumentNames.SearchStarted));
        Assert.Equal(outcome.Stats.Messages + 1, Sum(MeshInstrumentNames.QueryReceived));
        Assert.Equal(outcome.Stats.Messages, Sum(MeshInstrumentNames.QueryForwarded));
        Assert.Equal(outcome.Stats.Duplicates, Sum(MeshInstrumentNames.QueryDuplicates));
        Assert.Equal(outcome.Hits.Count, Sum(MeshInstrumentNames.SearchHits));
        Assert.Equal(outcome.Stats.Messages + 1, Sum(MeshInstrumentNames.QueryHops));
        Assert.Equal(1, Final(MeshInstrumentNames.SearchDuration, "p0"));
        Assert.Equal(1, Sum(MeshInstrumentNames.SearchDuration));
        double First(string name, string peer) =>
            metrics.First(m => m.Metric.Name == name && m.ServiceInstanceId == peer).Total;
        for (var i = 0; i < Peers; i++)
        {
            Assert.Equal(topology.Neighbours(i).Count, First(MeshInstrumentNames.Neighbours, $"p{i}"));
            Assert.Equal(holders.Contains(i) ? 1 : 0, First(MeshInstrumentNames.IndexFiles, $"p{i}"));
            Assert.Equal(holders.Contains(i) ? 3 : 0, First(MeshInstrumentNames.IndexSize, $"p{i}"));
        }
    }

    [Fact]
    public async Task Search_WithoutOtlpEndpoint_ExportsNothing()
    {
        // Arrange: a mesh with no OTEL_* settings at all (no receiver: none could be told where to listen; the test
        // above, with an endpoint, is the control that exports).
        var topology = Topology.Ring(4);
        await using (var mesh = await TestMesh.StartAsync(topology.Count))
        {
            await mesh.ConnectAsync(topology);
            await mesh[2].AddFileAsync("needle.bin", [1]);

            // Act
            var outcome = await mesh.SearchAsync(0, "*.bin", Ttl);

            // Assert: the search works, and no host built an exporter, nor a provider to feed one.
            Assert.Single(outcome.Hits);
            for (var i = 0; i < topology.Count; i++)
            {
                Assert.Null(mesh[i].Services.GetService<OtlpTelemetryService>());
                Assert.Null(mesh[i].Services.GetService<TracerProvider>());
                Assert.Null(mesh[i].Services.GetService<MeterProvider>());
            }
        }
    }
}
