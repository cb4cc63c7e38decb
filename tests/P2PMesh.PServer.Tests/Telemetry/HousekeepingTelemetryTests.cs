using System.Diagnostics;
using Grpc.Health.V1;
using OpenTelemetry.Proto.Trace.V1;
using P2PMesh.Bootstrap.Tests;
using P2PMesh.Core.Peers;
using Grpc.Core;
using P2PMesh.PServer.Tests.Mesh;
using P2PMesh.ServiceDefaults.Telemetry;
using P2PMesh.Testing.Otlp;

namespace P2PMesh.PServer.Tests.Telemetry;

/// <summary>
/// Housekeeping starts no trace (<see cref="HousekeepingCalls"/>): a Bootstrap and four PServers, all exporting over
/// OTLP to one loopback receiver, find each other on their own (Join, Heartbeat, Link, Ping every 0.2 s; Unlink and
/// Leave when they stop) and answer the kubelet's gRPC health checks, while a client's flood search runs through
/// them. The search's trace arrives whole, and it is the only one: read after every host stopped (and so flushed).
/// The hosts' own request metrics (<c>http.server.request.duration</c> by route) show the housekeeping happened.
/// </summary>
public sealed class HousekeepingTelemetryTests
{
    private const int Peers = 4;
    private const uint Ttl = 5;
    private const string RequestDuration = "http.server.request.duration";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly HousekeepingCalls Housekeeping = new(PeerMethods.Housekeeping);
    private static readonly Method<HealthCheckRequest, HealthCheckResponse> HealthCheck = new(HealthReflection.Descriptor.Services[0], "Check");

    [Theory]
    [InlineData(null)]          // parentbased_always_on
    [InlineData("always_on")]   // which alone would sample the callee's half of a dropped call, and what a dropped call does
    public async Task Maintenance_AndHealthChecks_ExportNoTrace_WhileTheFloodIsExportedWhole(string? sampler)
    {
        // Arrange
        await using var receiver = await OtlpReceiver.StartAsync();
        string[] otlp = [$"--OTEL_EXPORTER_OTLP_ENDPOINT={receiver.HttpEndpoint.AbsoluteUri.TrimEnd('/')}", "--OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf",
            "--OTEL_METRIC_EXPORT_INTERVAL=200", .. sampler is null ? Array.Empty<string>() : [$"--OTEL_TRACES_SAMPLER={sampler}"]];
        var (traceId, callerSpanId) = (ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom());
        SearchOutcome outcome;
        await using (var bootstrap = await BootstrapHost.StartAsync(["--Bootstrap:HeartbeatInterval=00:00:00.5", "--Bootstrap:PeerExpiry=00:00:05", .. otlp]))
        {
            await using (var mesh = await TestMesh.StartAsync(Peers, _ =>
            [
                "--Neighbours:AutoDiscover=true",
                "--Neighbours:TargetDegree=2",
                "--Neighbours:MaintenanceInterval=00:00:00.2",
                "--Neighbours:CallTimeout=00:00:05",
                $"--Neighbours:Bootstrap=127.0.0.1:{bootstrap.Address.Port}",
                .. otlp,
            ]))
            {
                await mesh[Peers - 1].AddFileAsync("needle.bin", [1, 2, 3]);

                // Act: the peers join and link on their own, then ping their neighbours.
                await EventuallyAsync(() => Enumerable.Range(0, Peers).All(i => mesh[i].Neighbours.Count >= 2), "every peer has two neighbours");
                await EventuallyAsync(() => Enumerable.Range(0, Peers).All(i => Served(receiver, $"p{i}", PeerMethods.Ping.FullName) > 0), "every peer answered a Ping");

                // The kubelet's probes: a health check of every host, from a client that sends no traceparent.
                foreach (var address in Enumerable.Range(0, Peers).Select(i => mesh[i].Address).Append(bootstrap.Address))
                {
                    using var kubelet = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { ActivityHeadersPropagator = null } });
                    var health = await kubelet.AsyncUnaryCall(HealthCheck, new HealthCheckRequest());
                    Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
                }

                // A user's flood search, from a client that is itself traced.
                outcome = await TracedSearch.RunAsync(mesh, $"00-{traceId}-{callerSpanId}-01", Ttl);
            } // the peers stop: they unlink, leave the bootstrap, and flush their spans and a final metrics export.
        } // and so does the bootstrap.

        // Assert: the housekeeping calls were made and answered (by route, over every host's final export).
        Assert.Single(outcome.Hits);
        Assert.True(Served(receiver, instance: null, PeerMethods.Link.FullName) >= Peers, "fewer links than peers");
        Assert.True(Served(receiver, instance: null, PeerMethods.Ping.FullName) >= Peers, "fewer pings than peers");
        Assert.True(Served(receiver, instance: null, PeerMethods.Join.FullName) >= Peers, "not every peer joined");
        Assert.True(Served(receiver, instance: null, PeerMethods.Leave.FullName) >= Peers, "not every peer left");
        Assert.Equal(Peers + 1, Served(receiver, instance: null, "/grpc.health.v1.Health/Check"));

        // ... and every span exported belongs to the search's trace: no housekeeping call started one.
        var spans = receiver.Spans;
        Assert.All(spans, s => Assert.True(s.TraceId == traceId.ToHexString(), $"{s} is not the search's"));
        Assert.DoesNotContain(spans, s => Housekeeping.IsRpcSpanName(s.Span.Name));

        // The search's trace is whole: one server span per Search request received (the origin's plus one per
        // forward), one client span per forward, one connected tree under the caller's span.
        var rpc = spans.Where(s => s.Scope.Name == GrpcTelemetry.ActivitySourceName).ToList();
        var servers = rpc.Where(s => s.Span.Kind == Span.Types.SpanKind.Server).ToList();
        var clients = rpc.Where(s => s.Span.Kind == Span.Types.SpanKind.Client).ToList();
        Assert.Equal((int)outcome.Stats.Messages + 1, servers.Count);
        Assert.Equal((int)outcome.Stats.Messages, clients.Count);
        Assert.All(rpc, s => Assert.Equal("p2pmesh.v1.Peer/Search", s.Span.Name));
        var byId = spans.ToDictionary(s => s.SpanId);
        var root = Assert.Single(spans, s => !byId.ContainsKey(s.ParentSpanId ?? ""));
        Assert.Equal((callerSpanId.ToHexString(), "p0", Span.Types.SpanKind.Server), (root.ParentSpanId, root.ServiceInstanceId, root.Span.Kind));
        Assert.Equal(outcome.Stats.PeersReached, (uint)servers.Select(s => s.ServiceInstanceId).Distinct().Count());
    }

    /// <summary>
    /// Requests to <paramref name="route"/> that <paramref name="instance"/> (every host when <c>null</c>) served, by its
    /// last <c>http.server.request.duration</c> export (cumulative).
    /// </summary>
    private static double Served(OtlpReceiver receiver, string? instance, string route) =>
        receiver.Metrics
            .Where(m => m.Metric.Name == RequestDuration && (instance is null || m.ServiceInstanceId == instance))
            .GroupBy(m => (m.ServiceName, m.ServiceInstanceId))
            .Select(g => g.Last().Metric.Histogram.DataPoints
                .Where(p => OtlpAttributes.String(p.Attributes, "http.route") == route)
                .Sum(p => (double)p.Count))
            .Sum();

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
