using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using P2PMesh.Core.Telemetry;
using P2PMesh.PClientApi.Contracts;
using P2PMesh.PServer.Tests.Mesh;
using P2PMesh.PServer.Tests.Telemetry;
using Xunit.Abstractions;

namespace P2PMesh.PClientApi.Tests.Telemetry;

/// <summary>
/// <c>GET /api/search</c> traced end to end, in memory (<see cref="TelemetryCapture"/>, the PServer tests' capture of every
/// host in the process, one per test): a PClient-API in front of p0
/// of a real mesh. The API's <c>p2pmesh.search</c> span (source <see cref="MeshActivitySources.Search"/>) is the root of
/// the flood: request → <c>p2pmesh.search</c> → gRPC client span → the PServers' server spans of every hop, one trace.
/// The test's own HTTP client sends no <c>traceparent</c> (no client span), as a user's tools mostly do.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class SearchTelemetryTests(ITestOutputHelper output)
{
    private const string SearchPath = "/p2pmesh.v1.Peer/Search";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Search_SearchSpanIsTheFloodsRoot_EveryHopOfEveryPeerInOneTrace()
    {
        // Arrange
        using var telemetry = TelemetryCapture.Start();
        SearchResponse result;
        int[] peerPorts;
        int apiPort;
        await using (var mesh = await TestMesh.StartAsync(4))
        {
            await mesh.ConnectAsync(Topology.Ring(4));
            await mesh[2].AddFileAsync("distro.iso", Encoding.UTF8.GetBytes("an ISO image"));
            await mesh[3].AddFileAsync("other.iso", Encoding.UTF8.GetBytes("another one"));
            peerPorts = [.. Enumerable.Range(0, 4).Select(i => mesh[i].Address.Port)];
            await using var api = await ApiHost.StartAsync(mesh[0].PeerAddress, ["--Peer:Id=p0", $"--Content:ShareDirectory={mesh[0].ShareDirectory}"]);
            using var client = UntracedClient(api);
            apiPort = client.BaseAddress!.Port;

            // Act
            result = (await client.GetFromJsonAsync<SearchResponse>("/api/search?q=*.iso&ttl=3", Json))!;
        }

        // Assert: the search span, with the JSON's query id (what a user pastes into a trace viewer) and the outcome.
        var spans = telemetry.Spans;
        var search = Assert.Single(spans, s => s.OperationName == MeshSpanAttributes.SearchSpanName);
        var trace = spans.Where(s => s.TraceId == search.TraceId).ToList();
        Dump(trace);
        Assert.Equal((MeshActivitySources.Search, ActivityKind.Internal), (search.Source.Name, search.Kind));
        Assert.Matches("^[0-9a-f]{32}$", result.QueryId);
        Assert.Equal(result.QueryId, search.GetTagItem(MeshSpanAttributes.QueryId));
        Assert.Equal("*.iso", search.GetTagItem(MeshSpanAttributes.Pattern));
        Assert.Equal(3L, search.GetTagItem(MeshSpanAttributes.Ttl));
        Assert.Equal(2, result.Files.Count);
        Assert.Equal((long)result.Files.Count, search.GetTagItem(MeshSpanAttributes.Files));
        Assert.Equal((long)result.Files.Sum(f => f.Sources.Count), search.GetTagItem(MeshSpanAttributes.Hits));
        Assert.Equal(4, result.Stats!.PeersReached);
        Assert.Equal((long)result.Stats.PeersReached, search.GetTagItem(MeshSpanAttributes.PeersReached));
        Assert.Equal((long)result.Stats.Messages, search.GetTagItem(MeshSpanAttributes.Messages));
        Assert.Equal((long)result.Stats.Duplicates, search.GetTagItem(MeshSpanAttributes.Duplicates));
        Assert.NotEqual(ActivityStatusCode.Error, search.Status);

        // Its parent: the API's server span of the REST request, the trace's root.
        var byId = trace.ToDictionary(s => s.SpanId);
        var request = byId[search.ParentSpanId];
        Assert.Equal(("Microsoft.AspNetCore", ActivityKind.Server, "/api/search", (object)apiPort),
            (request.Source.Name, request.Kind, request.GetTagItem("url.path"), request.GetTagItem("server.port")));
        Assert.Equal(request, Assert.Single(trace, s => !byId.ContainsKey(s.ParentSpanId)));
        Assert.Equal(default, request.ParentSpanId);

        // Its one child: the gRPC client call to p0's PServer, whose server span is the flood's origin hop.
        var call = Assert.Single(trace, s => s.ParentSpanId == search.SpanId);
        Assert.Equal((ActivityKind.Client, "p2pmesh.v1.Peer/Search"), (call.Kind, call.DisplayName));
        var origin = Assert.Single(trace, s => s.ParentSpanId == call.SpanId);
        Assert.Equal((ActivityKind.Server, SearchPath, (object)peerPorts[0]), (origin.Kind, origin.GetTagItem("url.path"), origin.GetTagItem("server.port")));
        Assert.Equal(0L, origin.GetTagItem(MeshSpanAttributes.Hops));

        // Every hop: one server span per Search request a peer received (the origin's and every forward), each with the
        // JSON's query id, on every peer; each forward's client span the parent of exactly one of them.
        var hops = trace.Where(s => s.Kind == ActivityKind.Server && (string?)s.GetTagItem("url.path") == SearchPath).ToList();
        Assert.Equal(result.Stats.Messages + 1, hops.Count);
        Assert.All(hops, h => Assert.Equal(result.QueryId, h.GetTagItem(MeshSpanAttributes.QueryId)));
        Assert.Equal(peerPorts.Order(), hops.Select(h => (int)h.GetTagItem("server.port")!).Distinct().Order());
        var forwards = trace.Where(s => s.Kind == ActivityKind.Client && s != call).ToList();
        Assert.Equal(result.Stats.Messages, forwards.Count);
        Assert.All(forwards, f => Assert.Equal("p2pmesh.v1.Peer/Search", f.DisplayName));
        Assert.All(hops.Where(h => h != origin), h => Assert.Contains(forwards, f => f.SpanId == h.ParentSpanId));

        // Everything but the request descends from the search span, and nothing else is in the trace (no HttpClient
        // span under a gRPC client span: the gRPC instrumentation suppresses it).
        Assert.Equal(2 + 1 + hops.Count + forwards.Count, trace.Count);
        foreach (var span in trace.Where(s => s != request && s != search))
        {
            var ancestor = span;
            while (ancestor.ParentSpanId != search.SpanId && byId.TryGetValue(ancestor.ParentSpanId, out var parent))
            {
                ancestor = parent;
            }
            Assert.True(ancestor.ParentSpanId == search.SpanId, $"{span.DisplayName} {span.SpanId} is not under the search span");
        }
    }

    [Fact]
    public async Task Probes_StartNoTrace_WhileSearchAndPeersDo()
    {
        // Arrange
        using var telemetry = TelemetryCapture.Start();
        SearchResponse result;
        await using (var mesh = await TestMesh.StartAsync(2))
        {
            await mesh.ConnectAsync(Topology.Line(2));
            await mesh[1].AddFileAsync("distro.iso", Encoding.UTF8.GetBytes("an ISO image"));
            await using var api = await ApiHost.StartAsync(mesh[0].PeerAddress, ["--Peer:Id=p0", $"--Content:ShareDirectory={mesh[0].ShareDirectory}"]);
            using var client = UntracedClient(api);

            // Act: the probes (/readyz pings the PServer), a search, and the peers (GetNeighbours, then a Ping each).
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal("ok", await client.GetStringAsync("/healthz"));
                Assert.Equal("ready", await client.GetStringAsync("/readyz"));
            }
            result = (await client.GetFromJsonAsync<SearchResponse>("/api/search?q=*.iso&ttl=2", Json))!;
            using var peers = await client.GetAsync("/api/peers");
            peers.EnsureSuccessStatusCode();
        } // every host stops before the spans are read: nothing more can come.

        // Assert: two traces, each rooted at its REST request; nothing of the probes, nor of the pings they made, nor
        // of the mesh's own maintenance.
        var spans = telemetry.Spans;
        Dump(spans);
        var roots = spans.Where(s => s.ParentSpanId == default).ToList();
        Assert.Equal(["/api/peers", "/api/search"], roots.Select(r => (string?)r.GetTagItem("url.path")).Order(StringComparer.Ordinal));
        Assert.All(roots, r => Assert.Equal(("Microsoft.AspNetCore", ActivityKind.Server), (r.Source.Name, r.Kind)));
        var search = roots.Single(r => (string?)r.GetTagItem("url.path") == "/api/search");
        var peersRequest = roots.Single(r => r != search);
        Assert.All(spans, s => Assert.Contains(s.TraceId, new[] { search.TraceId, peersRequest.TraceId }));

        // The search's trace: its span, and one server span per Search request the peers received.
        Assert.Single(result.Files);
        var searchTrace = spans.Where(s => s.TraceId == search.TraceId).ToList();
        Assert.Single(searchTrace, s => s.OperationName == MeshSpanAttributes.SearchSpanName);
        Assert.Equal(result.Stats!.Messages + 1, searchTrace.Count(s => s.Kind == ActivityKind.Server && (string?)s.GetTagItem("url.path") == SearchPath));

        // Housekeeping inside a sampled trace is traced: /api/peers' GetNeighbours and Ping, both halves.
        var peersTrace = spans.Where(s => s.TraceId == peersRequest.TraceId).ToList();
        foreach (var method in new[] { "p2pmesh.v1.Peer/GetNeighbours", "p2pmesh.v1.Peer/Ping" })
        {
            var client = Assert.Single(peersTrace, s => s.Kind == ActivityKind.Client && s.DisplayName == method);
            Assert.Single(peersTrace, s => s.Kind == ActivityKind.Server && s.ParentSpanId == client.SpanId && (string?)s.GetTagItem("url.path") == $"/{method}");
        }
    }

    [Fact]
    public async Task Search_PServerDown_SearchAndRequestSpansAreErrors()
    {
        // Arrange: an API whose PServer is not there.
        using var telemetry = TelemetryCapture.Start();
        await using (var api = await ApiHost.StartAsync("127.0.0.1:1"))
        {
            using var client = UntracedClient(api);

            // Act
            using var response = await client.GetAsync("/api/search?q=*.iso");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        }

        // Assert: the search span ends in error with the gRPC status and no outcome; the request span above it is a 503.
        var spans = telemetry.Spans;
        Dump(spans);
        var search = Assert.Single(spans, s => s.OperationName == MeshSpanAttributes.SearchSpanName);
        Assert.Equal(ActivityStatusCode.Error, search.Status);
        Assert.StartsWith("Unavailable", search.StatusDescription, StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{32}$", (string)search.GetTagItem(MeshSpanAttributes.QueryId)!);
        Assert.Null(search.GetTagItem(MeshSpanAttributes.Files));
        var request = Assert.Single(spans, s => s.SpanId == search.ParentSpanId);
        Assert.Equal(("/api/search", (object)503, ActivityStatusCode.Error),
            (request.GetTagItem("url.path"), request.GetTagItem("http.response.status_code"), request.Status));
    }

    /// <summary>A client of <paramref name="api"/> that sends no <c>traceparent</c>, so no client span of the test's.</summary>
    private static HttpClient UntracedClient(ApiHost api) =>
        new(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = api.Client.BaseAddress };

    private void Dump(IEnumerable<Activity> spans)
    {
        foreach (var span in spans)
        {
            output.WriteLine($"{span.DisplayName} [{span.Kind}] {span.Source.Name} {span.TraceId} {span.SpanId} <- {span.ParentSpanId} {span.GetTagItem("url.path")} {span.GetTagItem("server.port")}");
        }
    }
}
