using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using P2PMesh.ServiceDefaults.Telemetry;
using P2PMesh.Testing.Otlp;

namespace P2PMesh.ServiceDefaults.Tests.Telemetry;

/// <summary>
/// The HTTP probes (<see cref="HousekeepingCalls.HttpProbePaths"/>) start no trace, whatever <c>OTEL_TRACES_SAMPLER</c>
/// says, and neither does the work done while answering one; every other request is traced as configured. The host
/// maps both probes (<c>/readyz</c> emits <see cref="TestWork"/>, as the API's asks its PServer); its client sends no
/// <c>traceparent</c>, as the kubelet does. "Nothing exported" is read after the host stopped, and so flushed.
/// Alone in the process (<see cref="SamplerCollection"/>): other hosts' samplers would otherwise vote on these spans.
/// </summary>
[Collection(SamplerCollection.Name)]
public sealed class ProbeTelemetryTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData("always_on", null)]
    [InlineData("parentbased_always_on", null)]
    [InlineData("traceidratio", "1")]
    [InlineData("parentbased_traceidratio", "1")]
    public async Task Probes_NotExported_WhileOtherRequestsAre(string? sampler, string? argument)
    {
        // Arrange
        await using var receiver = await OtlpReceiver.StartAsync();
        string[] settings = [.. Otlp.To(receiver),
            .. sampler is null ? Array.Empty<string>() : [$"--OTEL_TRACES_SAMPLER={sampler}"],
            .. argument is null ? Array.Empty<string>() : [$"--OTEL_TRACES_SAMPLER_ARG={argument}"]];
        await using var host = await TelemetryHost.StartAsync(MapProbes, settings);

        // Act
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("ok", await host.Client.GetStringAsync(HousekeepingCalls.LivenessPath));
            Assert.Equal("ready", await host.Client.GetStringAsync(HousekeepingCalls.ReadinessPath));
        }
        Assert.Equal("done", await host.Client.GetStringAsync("/work?count=2"));
        await host.StopAsync();

        // Assert: /work's request span and its two children, one trace; no probe, nor the work /readyz did.
        var request = Assert.Single(receiver.Spans, s => s.Scope.Name == "Microsoft.AspNetCore");
        HttpServerSpanAssert.Request(request, "GET", "/work", "/work", 200, host.Client.BaseAddress!.Port);
        var work = receiver.Spans.Where(s => s.Span.Name == TestWork.SpanName).ToList();
        Assert.Equal(2, work.Count);
        Assert.All(work, s => Assert.Equal(request.SpanId, s.ParentSpanId));
        Assert.Equal(3, receiver.Spans.Count);
        Assert.Equal(5, receiver.Metrics.Last(m => m.Metric.Name == TestWork.CounterName).Total);   // the probes did run (3 + 2)
    }

    [Fact]
    public async Task AlwaysOff_NothingExported()
    {
        // Arrange
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var host = await TelemetryHost.StartAsync(MapProbes, [.. Otlp.To(receiver), "--OTEL_TRACES_SAMPLER=always_off"]);

        // Act
        await host.Client.GetStringAsync(HousekeepingCalls.LivenessPath);
        await host.Client.GetStringAsync(HousekeepingCalls.ReadinessPath);
        await host.Client.GetStringAsync("/work?count=2");
        host.Work(3);
        await host.StopAsync();

        // Assert: the final metrics export came (the host did export), no span at all.
        Assert.Equal(6, receiver.Metrics.Last(m => m.Metric.Name == TestWork.CounterName).Total);
        Assert.Empty(receiver.Spans);
    }

    [Fact]
    public async Task Probe_InsideASampledTrace_Traced()
    {
        // Arrange: a probe that carries a sampled traceparent: part of someone's trace, not the start of one.
        await using var receiver = await OtlpReceiver.StartAsync();
        var (traceId, callerSpanId) = (ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom());
        await using var host = await TelemetryHost.StartAsync(MapProbes, Otlp.To(receiver));
        using var request = new HttpRequestMessage(HttpMethod.Get, HousekeepingCalls.ReadinessPath);
        request.Headers.Add("traceparent", $"00-{traceId}-{callerSpanId}-01");

        // Act
        using var response = await host.Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        await host.StopAsync();

        // Assert: the probe's span under the caller's, and the work it did under it.
        var probe = Assert.Single(receiver.Spans, s => s.Scope.Name == "Microsoft.AspNetCore");
        Assert.Equal((traceId.ToHexString(), callerSpanId.ToHexString()), (probe.TraceId, probe.ParentSpanId));
        Assert.Equal(HousekeepingCalls.ReadinessPath, probe.Attribute("url.path")!.StringValue);
        Assert.Equal(probe.SpanId, Assert.Single(receiver.Spans, s => s.Span.Name == TestWork.SpanName).ParentSpanId);
    }

    private static void MapProbes(WebApplication app)
    {
        app.MapGet(HousekeepingCalls.LivenessPath, () => Results.Text("ok"));
        app.MapGet(HousekeepingCalls.ReadinessPath, (TestWork work) =>
        {
            work.Do();
            return Results.Text("ready");
        });
    }
}
