using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OpenTelemetry.Proto.Trace.V1;
using SpanStatus = OpenTelemetry.Proto.Trace.V1.Status;
using P2PMesh.Contracts;
using P2PMesh.Core.Telemetry;
using Grpc.Core;
using P2PMesh.PClientApi.Models;
using P2PMesh.Grpc;
using P2PMesh.PClientApi.Contracts;
using P2PMesh.PServer.Tests.Mesh;
using P2PMesh.Testing.Otlp;
using Xunit.Abstractions;

namespace P2PMesh.PClientApi.Tests.Telemetry;

/// <summary>
/// <c>GET /api/search</c> traced end to end: a PClient-API in front of p0 of a real 4-peer ring, all five
/// hosts exporting over OTLP to one loopback receiver. The API's <c>p2pmesh.search</c> span is the root of
/// the flood's tree, under the REST request's server span, and its query id is the JSON's. The request span
/// follows the OpenTelemetry HTTP server conventions (HttpServerSpans in P2PMesh.ServiceDefaults).
/// </summary>
public sealed class SearchTelemetryTests(ITestOutputHelper output)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Theory]
    [InlineData("http/protobuf")]
    [InlineData("grpc")]
    public async Task Search_WithOtlpEndpoint_SearchSpanIsTheFloodsRootUnderTheRequestSpan(string protocol)
    {
        // Arrange
        await using var receiver = await OtlpReceiver.StartAsync();
        var endpoint = protocol == "grpc" ? receiver.GrpcEndpoint : receiver.HttpEndpoint;
        string[] otlp = [$"--OTEL_EXPORTER_OTLP_ENDPOINT={endpoint.AbsoluteUri.TrimEnd('/')}", $"--OTEL_EXPORTER_OTLP_PROTOCOL={protocol}"];
        SearchResponse result;
        int apiPort;
        await using (var mesh = await TestMesh.StartAsync(4, _ => otlp))
        {
            await mesh.ConnectAsync(Topology.Ring(4));
            await mesh[2].AddFileAsync("distro.iso", Encoding.UTF8.GetBytes("an ISO image"));
            await mesh[3].AddFileAsync("other.iso", Encoding.UTF8.GetBytes("another one"));
            await using (var api = await ApiHost.StartAsync(mesh[0].PeerAddress, ["--Peer:Id=p0", $"--Content:ShareDirectory={mesh[0].ShareDirectory}", .. otlp]))
            {
                // Act
                apiPort = api.Client.BaseAddress!.Port;
                result = (await api.Client.GetFromJsonAsync<SearchResponse>("/api/search?q=*.iso&ttl=3", Json))!;
            } // the API stops first (its providers flush), then every peer.
        }

        // Assert: the search span, from the API's P2PMesh.Search source, under the API's resource.
        var search = Assert.Single(receiver.Spans, s => s.Span.Name == MeshSpanAttributes.SearchSpanName);
        var trace = receiver.Spans.Where(s => s.TraceId == search.TraceId).ToList();
        foreach (var span in trace)
        {
            output.WriteLine($"{span} {span.Scope.Name} {span.ServiceName}");
        }
        Assert.Equal(trace.Count, trace.Select(s => s.SpanId).Distinct().Count());
        Assert.Equal((MeshActivitySources.Search, Span.Types.SpanKind.Internal), (search.Scope.Name, search.Span.Kind));
        Assert.Equal(("p2pmesh-pclient-api", "p0"), (search.ServiceName, search.ServiceInstanceId));

        // Its attributes: the JSON's query id, verbatim (what a user pastes into Jaeger), and the flood's outcome.
        Assert.Equal(result.QueryId, search.Attribute(MeshSpanAttributes.QueryId)!.StringValue);
        Assert.Matches("^[0-9a-f]{32}$", result.QueryId);
        Assert.Equal("*.iso", search.Attribute(MeshSpanAttributes.Pattern)!.StringValue);
        Assert.Equal(3, search.Attribute(MeshSpanAttributes.Ttl)!.IntValue);
        Assert.Equal(2, result.Files.Count);
        Assert.Equal(result.Files.Count, search.Attribute(MeshSpanAttributes.Files)!.IntValue);
        Assert.Equal(result.Files.Sum(f => f.Sources.Count), search.Attribute(MeshSpanAttributes.Hits)!.IntValue);
        Assert.Equal(4, result.Stats!.PeersReached);
        Assert.Equal(result.Stats.PeersReached, search.Attribute(MeshSpanAttributes.PeersReached)!.IntValue);
        Assert.Equal(result.Stats.Messages, search.Attribute(MeshSpanAttributes.Messages)!.IntValue);
        Assert.Equal(result.Stats.Duplicates, search.Attribute(MeshSpanAttributes.Duplicates)!.IntValue);
        Assert.NotEqual(SpanStatus.Types.StatusCode.Error, search.Span.Status?.Code ?? SpanStatus.Types.StatusCode.Unset);

        // Its parent: ASP.NET Core's server span of the REST request, the trace's one root here (its own parent,
        // if any, is the test's HttpClient span, which propagated a traceparent but belongs to no host).
        var byId = trace.ToDictionary(s => s.SpanId);
        var request = byId[search.ParentSpanId!];
        Assert.Equal(("Microsoft.AspNetCore", Span.Types.SpanKind.Server, "p2pmesh-pclient-api", "p0"),
            (request.Scope.Name, request.Span.Kind, request.ServiceName, request.ServiceInstanceId));
        Assert.Equal(request.SpanId, Assert.Single(trace, s => s.ParentSpanId is null || !byId.ContainsKey(s.ParentSpanId)).SpanId);
        HttpServerSpanAssert.Request(request, "GET", "/api/search", "/api/search", 200, apiPort);

        // Its one child: the gRPC client call to p0's PServer, whose server span is the flood's origin hop.
        var call = Assert.Single(trace, s => s.ParentSpanId == search.SpanId);
        Assert.Equal((GrpcTelemetry.ActivitySourceName, Span.Types.SpanKind.Client, "p2pmesh.v1.Peer/Search"), (call.Scope.Name, call.Span.Kind, call.Span.Name));
        Assert.Equal(("p2pmesh-pclient-api", "p0"), (call.ServiceName, call.ServiceInstanceId));
        var origin = Assert.Single(trace, s => s.ParentSpanId == call.SpanId && s.Scope.Name == GrpcTelemetry.ActivitySourceName);
        Assert.Equal((Span.Types.SpanKind.Server, "p2pmesh-pserver", "p0"), (origin.Span.Kind, origin.ServiceName, origin.ServiceInstanceId));
        Assert.Equal(0, origin.Attribute(MeshSpanAttributes.Hops)!.IntValue);

        // Every hop's server span names the same query id as the JSON, and every span descends from the search
        // (but the request span above it): one server span per Search request the peers received.
        var hops = trace.Where(s => s.ServiceName == "p2pmesh-pserver" && s.Span.Kind == Span.Types.SpanKind.Server).ToList();
        Assert.Equal(result.Stats.Messages + 1, hops.Count);
        Assert.All(hops, h => Assert.Equal(result.QueryId, h.Attribute(MeshSpanAttributes.QueryId)!.StringValue));
        foreach (var span in trace.Where(s => s != request && s != search))
        {
            var ancestor = span;
            while (ancestor.ParentSpanId is { } parent && parent != search.SpanId)
            {
                ancestor = byId[parent];
            }
            Assert.True(ancestor.ParentSpanId == search.SpanId, $"{span} is not under the search span");
        }
    }

    [Fact]
    public async Task Probes_NotExported_WhileSearchAndPeersAre()
    {
        // Arrange: a client that sends no traceparent, as the kubelet (and most users' tools) do.
        await using var receiver = await OtlpReceiver.StartAsync();
        string[] otlp = [$"--OTEL_EXPORTER_OTLP_ENDPOINT={receiver.HttpEndpoint.AbsoluteUri.TrimEnd('/')}", "--OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf"];
        SearchResponse result;
        int apiPort;
        await using (var mesh = await TestMesh.StartAsync(2, _ => otlp))
        {
            await mesh.ConnectAsync(Topology.Line(2));
            await mesh[1].AddFileAsync("distro.iso", Encoding.UTF8.GetBytes("an ISO image"));
            await using (var api = await ApiHost.StartAsync(mesh[0].PeerAddress, ["--Peer:Id=p0", $"--Content:ShareDirectory={mesh[0].ShareDirectory}", .. otlp]))
            {
                apiPort = api.Client.BaseAddress!.Port;
                using var client = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = api.Client.BaseAddress };

                // Act: the probes (/readyz pings the PServer), a search, and the peers (GetNeighbours, then a Ping each).
                for (var i = 0; i < 3; i++)
                {
                    Assert.Equal("ok", await client.GetStringAsync("/healthz"));
                    Assert.Equal("ready", await client.GetStringAsync("/readyz"));
                }
                result = (await client.GetFromJsonAsync<SearchResponse>("/api/search?q=*.iso&ttl=2", Json))!;
                using var peers = await client.GetAsync("/api/peers");
                peers.EnsureSuccessStatusCode();
            } // every host stops (and flushes) before the receiver is read: nothing more can come.
        }

        // Assert: two traces, each rooted at its REST request; nothing of the probes, nor of the pings they made.
        foreach (var span in receiver.Spans)
        {
            output.WriteLine($"{span} {span.Scope.Name} {span.ServiceName} {span.TraceId}");
        }
        var requests = receiver.Spans.Where(s => s.Scope.Name == "Microsoft.AspNetCore").ToList();
        Assert.Equal(["/api/peers", "/api/search"], requests.Select(r => r.Attribute("url.path")!.StringValue).Order(StringComparer.Ordinal));
        Assert.All(requests, r => Assert.Null(r.ParentSpanId));
        var search = requests.Single(r => r.Attribute("url.path")!.StringValue == "/api/search");
        HttpServerSpanAssert.Request(search, "GET", "/api/search", "/api/search", 200, apiPort);
        var peersRequest = requests.Single(r => r != search);
        Assert.All(receiver.Spans, s => Assert.Contains(s.TraceId, new[] { search.TraceId, peersRequest.TraceId }));

        // The search's trace, whole: its span, and one server span per Search request the peers received.
        Assert.Single(result.Files);
        var searchTrace = receiver.Spans.Where(s => s.TraceId == search.TraceId).ToList();
        Assert.Single(searchTrace, s => s.Span.Name == MeshSpanAttributes.SearchSpanName);
        Assert.Equal(result.Stats!.Messages + 1, searchTrace.Count(s => s.ServiceName == "p2pmesh-pserver" && s.Span.Kind == Span.Types.SpanKind.Server));

        // Housekeeping inside a sampled trace is traced as before: /api/peers' GetNeighbours and Ping, both halves.
        var peersTrace = receiver.Spans.Where(s => s.TraceId == peersRequest.TraceId).ToList();
        foreach (var method in new[] { "p2pmesh.v1.Peer/GetNeighbours", "p2pmesh.v1.Peer/Ping" })
        {
            Assert.Single(peersTrace, s => s.Span.Name == method && s.Span.Kind == Span.Types.SpanKind.Client);
            Assert.Single(peersTrace, s => s.Span.Name == method && s.Span.Kind == Span.Types.SpanKind.Server);
        }
    }

    [Fact]
    public async Task Search_PServerDown_SearchAndRequestSpansAreErrors()
    {
        // Arrange: an API whose PServer is not there.
        await using var receiver = await OtlpReceiver.StartAsync();
        int apiPort;
        await using (var api = await ApiHost.StartAsync("127.0.0.1:1",
            [$"--OTEL_EXPORTER_OTLP_ENDPOINT={receiver.HttpEndpoint.AbsoluteUri.TrimEnd('/')}", "--OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf"]))
        {
            // Act
            apiPort = api.Client.BaseAddress!.Port;
            using var response = await api.Client.GetAsync("/api/search?q=*.iso");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        }

        // Assert: the span ends in error with the gRPC status; no Peer:Id, so the host name is the instance.
        var search = Assert.Single(receiver.Spans, s => s.Span.Name == MeshSpanAttributes.SearchSpanName);
        Assert.Equal(SpanStatus.Types.StatusCode.Error, search.Span.Status.Code);
        Assert.StartsWith("Unavailable", search.Span.Status.Message, StringComparison.Ordinal);
        Assert.Equal(Environment.MachineName, search.ServiceInstanceId);
        Assert.Matches("^[0-9a-f]{32}$", search.Attribute(MeshSpanAttributes.QueryId)!.StringValue);
        Assert.Null(search.Attribute(MeshSpanAttributes.Files));

        // The request span above it: a 503, so an Error too (error.type "503": nothing was thrown).
        var request = Assert.Single(receiver.Spans, s => s.SpanId == search.ParentSpanId);
        HttpServerSpanAssert.Request(request, "GET", "/api/search", "/api/search", 503, apiPort);
        Assert.Equal("503", request.Attribute("error.type")!.StringValue);
    }
}
