using System.Diagnostics;
using Grpc.Health.V1;
using P2PMesh.ServiceDefaults.Telemetry;
using P2PMesh.Testing.Otlp;
using P2PMesh.V1;
using Xunit.Abstractions;
using Span = OpenTelemetry.Proto.Trace.V1.Span;

namespace P2PMesh.ServiceDefaults.Tests.Telemetry;

/// <summary>
/// Housekeeping calls (<see cref="HousekeepingCalls"/>: the HTTP probes, <c>grpc.health.v1.Health</c>, the mesh's
/// housekeeping RPCs such as <c>Ping</c>) start no trace, and neither does the work done while answering them; every
/// other request does; a housekeeping call inside someone's sampled trace is traced. Seen at a receiver the host exports
/// to, after the host was disposed (and so flushed); the work counter proves the host did export. The test process's
/// HTTP client sends no <c>traceparent</c>, as the kubelet; its gRPC client is the ordinary one, traced by the host's
/// provider as the host's own calls would be (one provider per process).
/// </summary>
[Collection(ExportCollection.Name)]
public sealed class HousekeepingTelemetryTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(null)]
    [InlineData("always_on")]
    [InlineData("parentbased_always_on")]
    public async Task Probes_StartNoTrace_WhileOtherRequestsDo(string? sampler)
    {
        // Arrange
        await using var receiver = await OtlpReceiver.StartAsync();
        await using (var host = await TestHost.StartAsync([.. Otlp.To(receiver), .. sampler is null ? Array.Empty<string>() : [$"--OTEL_TRACES_SAMPLER={sampler}"]]))
        {
            var health = new Grpc.Health.V1.Health.HealthClient(host.Channel);

            // Act
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal("ok", await host.Client.GetStringAsync(HousekeepingCalls.LivenessPath));
                Assert.Equal("ready", await host.Client.GetStringAsync(HousekeepingCalls.ReadinessPath));
                Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest())).Status);
                Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest { Service = "liveness" })).Status);
            }
            Assert.Equal("done", await host.Client.GetStringAsync("/work?count=2"));
        }

        // Assert: the probes did their work (3 /readyz, 3 Check "": the work check is a readiness check), the host exported...
        Dump(receiver);
        Assert.Equal(2 + 3 + 3, Otlp.WorkCount(receiver));
        // ...and no span of a probe, on either side.
        Assert.DoesNotContain(receiver.Spans, s => s.Span.Name.Contains("grpc.health", StringComparison.Ordinal) || IsProbe(s));
        // /work's request span and its two children, one trace.
        var request = Assert.Single(receiver.Spans, s => s.Span.Kind == Span.Types.SpanKind.Server);
        Assert.Equal(("Microsoft.AspNetCore", "/work", null), (request.Scope.Name, request.Attribute("url.path")?.StringValue, request.ParentSpanId));
        var work = receiver.Spans.Where(s => s.Span.Name == TestWork.SpanName && s.ParentSpanId == request.SpanId).ToList();
        Assert.Equal(2, work.Count);
        if (sampler != "always_on")
        {
            // Parent-based (the default): the work the probes did is not traced either. (always_on samples every
            // span whatever its parent says, as asked; the probes' own spans are still dropped.)
            Assert.Equal(3, receiver.Spans.Count);
        }
    }

    [Fact]
    public async Task HousekeepingRpc_StartsNoTrace_WhileOtherRpcsDo()
    {
        // Arrange
        await using var receiver = await OtlpReceiver.StartAsync();
        await using (var host = await TestHost.StartAsync(Otlp.To(receiver)))
        {
            // Act: three pings (housekeeping), one ListFiles (not), outside any trace.
            for (var i = 0; i < 3; i++)
            {
                await host.Peer.PingAsync(new PingRequest());
            }
            await host.Peer.ListFilesAsync(new ListFilesRequest());
        }

        // Assert: the work of all four was done and exported; ListFiles' client span, its server span, the work
        // under it, one trace; nothing of the pings; no HttpClient span under the gRPC client span.
        Dump(receiver);
        Assert.Equal(4, Otlp.WorkCount(receiver));
        Assert.Equal(3, receiver.Spans.Count);
        var client = Assert.Single(receiver.Spans, s => s.Span.Kind == Span.Types.SpanKind.Client);
        Assert.Equal(("p2pmesh.v1.Peer/ListFiles", null), (client.Span.Name, client.ParentSpanId));
        var server = Assert.Single(receiver.Spans, s => s.Span.Kind == Span.Types.SpanKind.Server);
        Assert.Equal(("Microsoft.AspNetCore", "/p2pmesh.v1.Peer/ListFiles"), (server.Scope.Name, server.Attribute("url.path")?.StringValue));
        Assert.Equal((client.TraceId, client.SpanId), (server.TraceId, server.ParentSpanId));
        var work = Assert.Single(receiver.Spans, s => s.Span.Name == TestWork.SpanName);
        Assert.Equal((server.TraceId, server.SpanId), (work.TraceId, work.ParentSpanId));
    }

    [Fact]
    public async Task HousekeepingRpc_InsideARequest_TracedAsPartOfIt()
    {
        // Arrange: GET /call/ping makes a Ping (as GET /api/peers makes a GetNeighbours).
        await using var receiver = await OtlpReceiver.StartAsync();
        await using (var host = await TestHost.StartAsync(Otlp.To(receiver)))
        {
            // Act
            Assert.Equal("done", await host.Client.GetStringAsync("/call/ping"));
        }

        // Assert: request → Ping client → Ping server → work, one trace.
        Dump(receiver);
        Assert.Equal(4, receiver.Spans.Count);
        var request = Assert.Single(receiver.Spans, s => s.Span.Kind == Span.Types.SpanKind.Server && s.Attribute("url.path")?.StringValue == "/call/ping");
        Assert.Null(request.ParentSpanId);
        var client = Assert.Single(receiver.Spans, s => s.Span.Kind == Span.Types.SpanKind.Client);
        Assert.Equal(("p2pmesh.v1.Peer/Ping", request.SpanId), (client.Span.Name, client.ParentSpanId));
        var server = Assert.Single(receiver.Spans, s => s.Span.Kind == Span.Types.SpanKind.Server && s != request);
        Assert.Equal(("/p2pmesh.v1.Peer/Ping", client.SpanId), (server.Attribute("url.path")?.StringValue, server.ParentSpanId));
        Assert.Equal(server.SpanId, Assert.Single(receiver.Spans, s => s.Span.Name == TestWork.SpanName).ParentSpanId);
        Assert.All(receiver.Spans, s => Assert.Equal(request.TraceId, s.TraceId));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Housekeeping_UnderACallersTrace_TracedOnlyIfThatTraceIsSampled(bool sampled)
    {
        // Arrange: a caller's trace context, sampled (flags 01) or not (00): on the wire for the HTTP probe, as the
        // ambient activity of the gRPC calls (whose client propagates it).
        var flags = sampled ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None;
        var (traceId, callerSpanId) = (ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom());
        await using var receiver = await OtlpReceiver.StartAsync();
        ActivitySpanId ambientSpanId;
        await using (var host = await TestHost.StartAsync(Otlp.To(receiver)))
        {
            using var probe = new HttpRequestMessage(HttpMethod.Get, HousekeepingCalls.ReadinessPath);
            probe.Headers.Add("traceparent", $"00-{traceId}-{callerSpanId}-{(sampled ? "01" : "00")}");

            // Act
            using (var response = await host.Client.SendAsync(probe))
            {
                response.EnsureSuccessStatusCode();
            }
            using (var caller = new Activity("test.caller").SetParentId(traceId, callerSpanId, flags).Start())
            {
                ambientSpanId = caller.SpanId;
                await host.Peer.PingAsync(new PingRequest());
                await new Grpc.Health.V1.Health.HealthClient(host.Channel).CheckAsync(new HealthCheckRequest());
            }
        }

        // Assert: all three did their work (/readyz and Check "" run the work check) and the host exported.
        Dump(receiver);
        Assert.Equal(3, Otlp.WorkCount(receiver));
        if (!sampled)
        {
            Assert.Empty(receiver.Spans);
            return;
        }
        Assert.All(receiver.Spans, s => Assert.Equal(traceId.ToHexString(), s.TraceId));
        // The probe, under the caller's span, and the work it did under it.
        var readyz = Assert.Single(receiver.Spans, IsProbe);
        Assert.Equal((callerSpanId.ToHexString(), "Microsoft.AspNetCore"), (readyz.ParentSpanId, readyz.Scope.Name));
        Assert.Single(receiver.Spans, s => s.Span.Name == TestWork.SpanName && s.ParentSpanId == readyz.SpanId);
        // Each gRPC call: its client span under the ambient activity, its server span under the client span, the work under that.
        foreach (var method in new[] { "p2pmesh.v1.Peer/Ping", "grpc.health.v1.Health/Check" })
        {
            var client = Assert.Single(receiver.Spans, s => s.Span.Kind == Span.Types.SpanKind.Client && s.Span.Name == method);
            Assert.Equal(ambientSpanId.ToHexString(), client.ParentSpanId);
            var server = Assert.Single(receiver.Spans, s => s.Span.Kind == Span.Types.SpanKind.Server && s.Attribute("url.path")?.StringValue == $"/{method}");
            Assert.Equal(client.SpanId, server.ParentSpanId);
            Assert.Single(receiver.Spans, s => s.Span.Name == TestWork.SpanName && s.ParentSpanId == server.SpanId);
        }
        Assert.Equal(2 + (2 * 3), receiver.Spans.Count);
    }

    private static bool IsProbe(ReceivedSpan span) =>
        span.Attribute("url.path")?.StringValue is { } path && HousekeepingCalls.HttpProbePaths.Contains(path);

    private void Dump(OtlpReceiver receiver)
    {
        foreach (var span in receiver.Spans)
        {
            output.WriteLine($"{span} {span.Scope.Name} {span.TraceId} {span.Attribute("url.path")?.StringValue}");
        }
    }
}
