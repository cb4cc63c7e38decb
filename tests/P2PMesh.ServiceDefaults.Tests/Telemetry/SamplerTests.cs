using P2PMesh.Testing.Otlp;

namespace P2PMesh.ServiceDefaults.Tests.Telemetry;

/// <summary>
/// <c>OTEL_TRACES_SAMPLER</c> / <c>_ARG</c>, passed per host, as the export shows it: the host records
/// <see cref="Spans"/> root spans and counts as many; the counter proves the host did export, so "no span"
/// is never just "nothing sent yet". Alone in the process (<see cref="SamplerCollection"/>).
/// </summary>
[Collection(SamplerCollection.Name)]
public sealed class SamplerTests
{
    private const int Spans = 20;

    [Theory]
    [InlineData("always_on", null, Spans)]
    [InlineData("always_off", null, 0)]
    [InlineData("traceidratio", "0", 0)]
    [InlineData("traceidratio", "1", Spans)]
    [InlineData("parentbased_always_on", null, Spans)]
    [InlineData("parentbased_always_off", null, 0)]
    [InlineData("parentbased_traceidratio", "0", 0)]
    [InlineData(null, null, Spans)] // the default, parentbased_always_on
    public async Task Sampler_RootSpans_ExportedAsConfigured(string? sampler, string? argument, int expected)
    {
        // Arrange
        await using var receiver = await OtlpReceiver.StartAsync();
        string[] settings = [.. Otlp.To(receiver),
            .. sampler is null ? Array.Empty<string>() : [$"--OTEL_TRACES_SAMPLER={sampler}"],
            .. argument is null ? Array.Empty<string>() : [$"--OTEL_TRACES_SAMPLER_ARG={argument}"]];

        // Act
        await using (var host = await TelemetryHost.StartAsync(settings))
        {
            host.Work(Spans);
        }

        // Assert: the final metrics export arrived (after the spans' flush), so every span that was going to come has.
        await Otlp.UntilAsync(() => receiver.Metrics.Any(m => m.Metric.Name == TestWork.CounterName && m.Total == Spans), "the counter's final value");
        Assert.Equal(expected, receiver.Spans.Count(s => s.Span.Name == TestWork.SpanName));
    }

    [Theory]
    [InlineData("parentbased_always_off", "01", 2)]
    [InlineData("parentbased_always_off", "00", 0)]
    [InlineData("parentbased_always_on", "00", 0)]
    [InlineData("always_on", "00", 2)]
    public async Task Sampler_RemoteParent_ParentBasedFollowsItsSampledFlag(string sampler, string flags, int expected)
    {
        // Arrange: a request that carries a caller's traceparent.
        await using var receiver = await OtlpReceiver.StartAsync();
        var traceId = System.Diagnostics.ActivityTraceId.CreateRandom().ToHexString();
        await using (var host = await TelemetryHost.StartAsync([.. Otlp.To(receiver), $"--OTEL_TRACES_SAMPLER={sampler}"]))
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/work?count=1");
            request.Headers.Add("traceparent", $"00-{traceId}-{System.Diagnostics.ActivitySpanId.CreateRandom().ToHexString()}-{flags}");

            // Act
            using var response = await host.Client.SendAsync(request);
            response.EnsureSuccessStatusCode();
        }

        // Assert: the request span and its child, both in the caller's trace, or neither.
        await Otlp.UntilAsync(() => receiver.Metrics.Any(m => m.Metric.Name == TestWork.CounterName), "the final metrics export");
        Assert.Equal(expected, receiver.Spans.Count);
        Assert.All(receiver.Spans, s => Assert.Equal(traceId, s.TraceId));
    }
}
