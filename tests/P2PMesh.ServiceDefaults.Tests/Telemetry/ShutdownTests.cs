using P2PMesh.Testing.Otlp;

namespace P2PMesh.ServiceDefaults.Tests.Telemetry;

/// <summary>
/// Disposing a host flushes its telemetry (its tracer and meter providers shut down with its services): with batch
/// and metric intervals far longer than the test, only the shutdown can have sent what arrives.
/// </summary>
[Collection(ExportCollection.Name)]
public sealed class ShutdownTests
{
    [Theory]
    [InlineData("http/protobuf")]
    [InlineData("grpc")]
    public async Task Dispose_SpansAndCountsRecordedJustBefore_Arrive(string protocol)
    {
        // Arrange: nothing is exported on a timer within the next ten minutes.
        await using var receiver = await OtlpReceiver.StartAsync();
        var host = await TestHost.StartAsync([.. Otlp.To(receiver, protocol), "--OTEL_BSP_SCHEDULE_DELAY=600000", "--OTEL_METRIC_EXPORT_INTERVAL=600000"]);
        await using (host)
        {
            Assert.Equal("done", await host.Client.GetStringAsync("/work?count=3"));
            host.Work(4);
            Assert.Empty(receiver.Spans);
        } // Act

        // Assert: delivered by the time disposing returned (the flush is synchronous); no waiting needed.
        Assert.Equal(7, receiver.Spans.Count(s => s.Span.Name == TestWork.SpanName));
        Assert.Single(receiver.Spans, s => s.Scope.Name == "Microsoft.AspNetCore");
        Assert.Equal(7, Otlp.WorkCount(receiver));
    }
}
