using System.Diagnostics;
using P2PMesh.Testing.Otlp;
using Xunit.Abstractions;
using Span = OpenTelemetry.Proto.Trace.V1.Span;
using P2PMesh.Cli.Tests.Infrastructure;

namespace P2PMesh.Cli.Tests.EndToEnd;

/// <summary>
/// One flood is one trace across real processes: <c>p2pmesh up --peers 4 --otlp URL</c> exporting (OTLP/gRPC, the
/// default) to a loopback receiver (<see cref="OtlpReceiver"/>), a file put into peer-1, a search from peer-4 with
/// <c>p2pmesh search</c>, then SIGTERM: every child flushes its telemetry as it stops, so once every process is gone the
/// receiver holds all there is.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class UpOtlpTraceEndToEndTests(ITestOutputHelper output) : IDisposable
{
    private const string SearchPath = "/p2pmesh.v1.Peer/Search";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);

    /// <summary>
    /// What the mesh calls on its own (neighbour maintenance, bootstrap, probes: HousekeepingMethods.Paths, grpc.health.v1,
    /// /healthz and /readyz), by the <c>url.path</c> of its server span or the name of its client span.
    /// </summary>
    private static readonly string[] Housekeeping =
    [
        "/p2pmesh.v1.Peer/Ping", "/p2pmesh.v1.Peer/Link", "/p2pmesh.v1.Peer/Unlink", "/p2pmesh.v1.Peer/GetNeighbours",
        "/p2pmesh.v1.Bootstrap/Join", "/p2pmesh.v1.Bootstrap/Heartbeat", "/p2pmesh.v1.Bootstrap/Leave", "/p2pmesh.v1.Bootstrap/ListPeers",
        "/grpc.health.v1.Health/Check", "/grpc.health.v1.Health/Watch", "/healthz", "/readyz",
    ];

    private readonly TempDirectory _temp = new("p2pmesh-cli-otlp-trace-");

    public void Dispose() => _temp.Dispose();

    [SkippableFact]
    public async Task Up_Otlp_OneSearchIsOneTraceOverEveryPeerItReached_HousekeepingStartsNone()
    {
        Skip.If(OperatingSystem.IsWindows(), "needs SIGTERM (Unix)");
        Assert.True(File.Exists(CliProcess.CliDll), $"build the CLI first: {CliProcess.CliDll}");

        // Arrange
        await using var receiver = await OtlpReceiver.StartAsync();
        var file = Path.Combine(_temp.Path, "traced-distro.iso");
        await File.WriteAllTextAsync(file, "an ISO image, traced");
        var statePath = Path.Combine(_temp.Path, "mesh.json");
        using var up = CliProcess.Start([
            "up", "--peers", "4", "--dir", Path.Combine(_temp.Path, "mesh"), "--state", statePath, "--api-port", "0",
            "--otlp", receiver.GrpcEndpoint.AbsoluteUri.TrimEnd('/')]);
        var pids = new List<int>();
        string queryId;
        int peersReached;
        try
        {
            var state = await up.WaitForStateAsync(statePath, StartTimeout);
            pids.AddRange(state.Processes.Select(p => p.Pid));
            Assert.Equal(["peer-1", "peer-2", "peer-3", "peer-4"], state.Peers.Select(p => p.Id));

            // Act: put the file into peer-1; flood from peer-4 (--via flood: the default, auto, asks the directory) until
            // the flood reaches every peer and the file (the mesh may still be knitting); the last search is the one
            // looked at.
            var (exitCode, stdout, stderr) = await CliProcess.RunAsync(CommandTimeout, "put", file, "--api", state.Peers[0].Api);
            Assert.True(exitCode == 0, stdout + stderr);
            var watch = Stopwatch.StartNew();
            while (true)
            {
                using var result = await CliProcess.RunJsonAsync(CommandTimeout, "search", "traced-*.iso", "--via", "flood", "--ttl", "4", "--json", "--api", state.Peers[3].Api);
                queryId = result.RootElement.GetProperty("queryId").GetString()!;
                peersReached = result.RootElement.GetProperty("stats").GetProperty("peersReached").GetInt32();
                var found = result.RootElement.GetProperty("files").GetArrayLength();
                if ((peersReached == 4 && found == 1) || watch.Elapsed > TimeSpan.FromSeconds(60))
                {
                    Assert.True(peersReached == 4 && found == 1, $"the last search reached {peersReached} peers and found {found} files: {result.RootElement}");
                    break;
                }
                await Task.Delay(500);
            }

            // SIGTERM: every child stops and, stopping, flushes what it recorded.
            await up.TerminateAsync();
            await CliProcess.AssertAllExitAsync(pids, TimeSpan.FromSeconds(15));
        }
        finally
        {
            output.WriteLine($"--- up stdout:{Environment.NewLine}{up.Out}--- up stderr:{Environment.NewLine}{up.Error}");
            foreach (var pid in pids)
            {
                CliProcess.KillIfAlive(pid);
            }
        }

        // Assert: the search span of the last search, by its query id, exported by peer-4's PClient-API.
        var spans = receiver.Spans;
        var search = Assert.Single(spans, s => s.Span.Name == "p2pmesh.search" && s.Attribute("p2pmesh.query_id")?.StringValue == queryId);
        Assert.Equal(("p2pmesh-pclient-api", "peer-4"), (search.ServiceName, search.ServiceInstanceId));
        var trace = spans.Where(s => s.TraceId == search.TraceId).ToList();
        foreach (var span in trace)
        {
            output.WriteLine($"{span} {span.ServiceName} {span.Attribute("url.path")?.StringValue}");
        }

        // One tree: its root is peer-4's REST request (the CLI sends no traceparent), every other span's parent is in it.
        var byId = trace.ToDictionary(s => s.SpanId);
        var root = Assert.Single(trace, s => s.ParentSpanId is null);
        Assert.Equal(("/api/search", "p2pmesh-pclient-api", "peer-4"), (root.Attribute("url.path")?.StringValue, root.ServiceName, root.ServiceInstanceId));
        Assert.All(trace.Where(s => s != root), s => Assert.True(byId.ContainsKey(s.ParentSpanId!), $"{s}: parent not in the trace"));
        Assert.Equal(root.SpanId, search.ParentSpanId);

        // A server span of the Search for the same query id from every peer the flood reached, each exported by that
        // peer's PServer process (its own service.instance.id).
        var hops = trace.Where(s => s.Span.Kind == Span.Types.SpanKind.Server && s.Attribute("url.path")?.StringValue == SearchPath).ToList();
        Assert.All(hops, h => Assert.Equal((queryId, "p2pmesh-pserver"), (h.Attribute("p2pmesh.query_id")?.StringValue, h.ServiceName)));
        Assert.Equal(["peer-1", "peer-2", "peer-3", "peer-4"], hops.Select(h => h.ServiceInstanceId).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(peersReached, hops.Select(h => h.ServiceInstanceId).Distinct().Count());

        // No trace was started by housekeeping: every trace received starts at a user's REST request (a root, or a span
        // whose parent nobody exported, would be the start of one), and the housekeeping that was exported (e.g. the
        // GetNeighbours and Pings of a GET /api/peers, which `up` asks while the mesh knits) lies inside such a trace.
        var ids = spans.Select(s => s.SpanId).ToHashSet(StringComparer.Ordinal);
        var starts = spans.Where(s => s.ParentSpanId is null || !ids.Contains(s.ParentSpanId)).ToList();
        Assert.All(starts, r =>
            Assert.True(r.ParentSpanId is null && r.Span.Kind == Span.Types.SpanKind.Server && r.Attribute("url.path")?.StringValue?.StartsWith("/api/", StringComparison.Ordinal) == true, $"a trace starts at {r}"));
        var housekeeping = spans.Where(s => Housekeeping.Contains(s.Attribute("url.path")?.StringValue) || Housekeeping.Contains("/" + s.Span.Name)).ToList();
        var startOf = starts.ToDictionary(r => r.TraceId, StringComparer.Ordinal);
        foreach (var call in housekeeping)
        {
            output.WriteLine($"housekeeping {call} {call.ServiceName}, in the trace of {startOf[call.TraceId].Attribute("url.path")?.StringValue}");
        }
        Assert.All(housekeeping, h => Assert.Equal("/api/peers", startOf[h.TraceId].Attribute("url.path")?.StringValue));
    }
}
