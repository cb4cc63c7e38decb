using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using P2PMesh.ServiceDefaults.Telemetry;
using P2PMesh.Testing.Otlp;

namespace P2PMesh.ServiceDefaults.Tests.Telemetry;

/// <summary>
/// <see cref="TelemetryExtensions.ConfigureOpenTelemetry"/> (through <see cref="Extensions.AddServiceDefaults"/>): an OTLP
/// endpoint, and only that, turns OpenTelemetry on; <c>OTEL_SDK_DISABLED=true</c> turns it off again.
/// </summary>
[Collection(ExportCollection.Name)]
public sealed class TelemetryRegistrationTests
{
    /// <summary>Every setting of the pair below but an endpoint, which only the second adds.</summary>
    private static readonly string[] AllButAnEndpoint = ["--OTEL_SERVICE_NAME=ignored", "--OTEL_TRACES_SAMPLER=always_on", "--OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf"];

    [Fact]
    public async Task NoEndpoint_NoTracerNorMeterProvider()
    {
        // Arrange: every setting but an endpoint. No receiver could be told where to listen, so what is checked is
        // that nothing is built that could export; the control below adds an endpoint to the same settings and exports.
        await using var host = await TestHost.StartAsync(AllButAnEndpoint);

        // Act
        await WorkAsync(host);

        // Assert
        Assert.Null(host.Services.GetService<TracerProvider>());
        Assert.Null(host.Services.GetService<MeterProvider>());
    }

    [Fact]
    public async Task SameSettingsPlusAnEndpoint_ProvidersAndExports()
    {
        // Arrange: the positive control of the test above.
        await using var receiver = await OtlpReceiver.StartAsync();
        await using (var host = await TestHost.StartAsync([.. AllButAnEndpoint, .. Otlp.To(receiver)]))
        {
            // Act
            await WorkAsync(host);

            // Assert
            Assert.NotNull(host.Services.GetService<TracerProvider>());
            Assert.NotNull(host.Services.GetService<MeterProvider>());
        } // disposing the host flushes the spans and a final metrics export.

        Assert.Equal(10, receiver.Spans.Count(s => s.Span.Name == TestWork.SpanName));
        Assert.Equal(10, Otlp.WorkCount(receiver));
    }

    [Theory]
    [InlineData("true")]
    [InlineData("TRUE")]
    public async Task SdkDisabled_NothingEvenWithAnEndpoint(string disabled)
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using (var host = await TestHost.StartAsync([.. Otlp.To(receiver), $"--OTEL_SDK_DISABLED={disabled}"]))
        {
            await WorkAsync(host);
            Assert.Null(host.Services.GetService<TracerProvider>());
            Assert.Null(host.Services.GetService<MeterProvider>());
        }
        Assert.Equal(0, receiver.RequestCount);
    }

    [Fact]
    public async Task SdkNotDisabled_Exports()
    {
        // The control of the test above: OTEL_SDK_DISABLED=false is no reason to stop.
        await using var receiver = await OtlpReceiver.StartAsync();
        await using (var host = await TestHost.StartAsync([.. Otlp.To(receiver), "--OTEL_SDK_DISABLED=false"]))
        {
            await WorkAsync(host);
        }
        Assert.Equal(10, Otlp.WorkCount(receiver));
    }

    /// <summary>Five units of work in a request, five outside any.</summary>
    private static async Task WorkAsync(TestHost host)
    {
        Assert.Equal("done", await host.Client.GetStringAsync("/work?count=5"));
        host.Work(5);
    }
}
