using P2PMesh.ServiceDefaults.Telemetry;
using P2PMesh.Testing.Otlp;

namespace P2PMesh.ServiceDefaults.Tests.Telemetry;

/// <summary>
/// Stopping a host flushes its telemetry (<see cref="OtlpTelemetryService.StoppedAsync"/>): with batch and
/// metric intervals far longer than the test, only the shutdown can have sent what arrives.
/// </summary>
public sealed class ShutdownTests
{
    [Theory]
    [InlineData("http/protobuf")]
    [InlineData("grpc")]
    public async Task StopAsync_SpansAndCountsRecordedJustBefore_Arrive(string protocol)
    {
        // Arrange: nothing is exported on a timer within the next ten minutes.
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var host = await TelemetryHost.StartAsync([.. Otlp.To(receiver, protocol), "--OTEL_BSP_SCHEDULE_DELAY=600000", "--OTEL_METRIC_EXPORT_INTERVAL=600000"]);
        await host.Client.GetStringAsync("/work?count=3");
        host.Work(4);
        Assert.Empty(receiver.Spans);

        // Act
        await host.StopAsync();

        // Assert: delivered by the time StopAsync returned (the flush is synchronous); no waiting needed.
        Assert.Equal(7, receiver.Spans.Count(s => s.Span.Name == TestWork.SpanName));
        Assert.Single(receiver.Spans, s => s.Scope.Name == "Microsoft.AspNetCore");
        Assert.Equal(7, receiver.Metrics.Last(m => m.Metric.Name == TestWork.CounterName).Total);
    }

    [Fact]
    public async Task TwoHostsInOneProcess_EachExportsOnlyItsOwn()
    {
        // Arrange: two hosts with the same sources and meter names, one receiver.
        await using var receiver = await OtlpReceiver.StartAsync();
        await using (var first = await TelemetryHost.StartAsync([.. Otlp.To(receiver), "--OTEL_RESOURCE_ATTRIBUTES=service.instance.id=first"]))
        await using (var second = await TelemetryHost.StartAsync([.. Otlp.To(receiver), "--OTEL_RESOURCE_ATTRIBUTES=service.instance.id=second"]))
        {
            // Act
            first.Work(2);
            second.Work(5);
        }

        // Assert
        var spans = receiver.Spans.Where(s => s.Span.Name == TestWork.SpanName).ToList();
        Assert.Equal(2, spans.Count(s => s.ServiceInstanceId == "first"));
        Assert.Equal(5, spans.Count(s => s.ServiceInstanceId == "second"));
        Assert.Equal(7, spans.Count);
        double Final(string instance) => receiver.Metrics.Last(m => m.Metric.Name == TestWork.CounterName && m.ServiceInstanceId == instance).Total;
        Assert.Equal((2, 5), (Final("first"), Final("second")));
    }
}
