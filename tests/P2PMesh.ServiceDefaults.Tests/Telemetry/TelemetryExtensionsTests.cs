using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using P2PMesh.ServiceDefaults.Telemetry;
using P2PMesh.Testing.Otlp;

namespace P2PMesh.ServiceDefaults.Tests.Telemetry;

/// <summary><see cref="TelemetryExtensions.AddTelemetry"/>: what it registers, and when it refuses to start.</summary>
public sealed class TelemetryExtensionsTests
{
    /// <summary>Every setting of the pair below but an endpoint, which only the second adds.</summary>
    private static readonly string[] AllButAnEndpoint = ["--OTEL_SERVICE_NAME=ignored", "--OTEL_TRACES_SAMPLER=always_on", "--OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf"];

    [Fact]
    public async Task AddTelemetry_NoEndpoint_NoServiceAndNoProvider()
    {
        // Arrange: every setting but an endpoint. No receiver could be told where to listen, so what is checked is
        // that nothing is built that could export; the control below adds an endpoint to the same settings and exports.
        await using var host = await TelemetryHost.StartAsync(AllButAnEndpoint);

        // Act
        await WorkAsync(host);

        // Assert: nothing built, nothing listening on the host's behalf.
        Assert.Null(host.Services.GetService<OtlpTelemetryService>());
        Assert.Null(host.Services.GetService<TelemetryIdentity>());
        Assert.DoesNotContain(host.Services.GetServices<IHostedService>(), s => s is OtlpTelemetryService);
        Assert.Null(host.Services.GetService<TracerProvider>());
        Assert.Null(host.Services.GetService<MeterProvider>());
    }

    [Fact]
    public async Task AddTelemetry_SameSettingsPlusAnEndpoint_Exports()
    {
        // Arrange: the positive control of the test above.
        await using var receiver = await OtlpReceiver.StartAsync();
        await using (var host = await TelemetryHost.StartAsync([.. AllButAnEndpoint, .. Otlp.To(receiver)]))
        {
            // Act
            await WorkAsync(host);
            Assert.NotNull(host.Services.GetService<OtlpTelemetryService>());
        } // stopping flushes the spans and a final metrics export.

        // Assert
        Assert.True(receiver.RequestCount > 0, "the same settings and work with an endpoint exported nothing");
    }

    [Fact]
    public async Task AddTelemetry_SdkDisabled_NothingEvenWithAnEndpoint()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using (var host = await TelemetryHost.StartAsync([.. Otlp.To(receiver), "--OTEL_SDK_DISABLED=true"]))
        {
            await host.Client.GetStringAsync("/work");
            Assert.Null(host.Services.GetService<OtlpTelemetryService>());
        }
        Assert.Equal(0, receiver.RequestCount);
    }

    [Fact]
    public async Task AddTelemetry_Endpoint_ProvidersLiveWithTheHost()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var host = await TelemetryHost.StartAsync(Otlp.To(receiver));
        var service = host.Services.GetRequiredService<OtlpTelemetryService>();

        Assert.NotNull(service.TracerProvider);
        Assert.NotNull(service.MeterProvider);
        var identity = host.Services.GetRequiredService<TelemetryIdentity>();
        Assert.Equal((TelemetryHost.ServiceName, TelemetryHost.InstanceId), (identity.ServiceName, identity.ServiceInstanceId));

        await host.StopAsync();
        Assert.Null(service.TracerProvider);
        Assert.Null(service.MeterProvider);
    }

    [Theory]
    [InlineData("--OTEL_EXPORTER_OTLP_ENDPOINT=collector:4317", "OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4317' is not an absolute http:// or https:// URL")]
    [InlineData("--OTEL_EXPORTER_OTLP_PROTOCOL=http/json", "OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' is not supported; use 'grpc' or 'http/protobuf'.")]
    [InlineData("--OTEL_TRACES_SAMPLER=mostly", "OTEL_TRACES_SAMPLER: 'mostly' is not supported")]
    public void AddTelemetry_MalformedSetting_FailsWhileBuildingWithAClearMessage(string bad, string message)
    {
        // Arrange: an endpoint, then the bad value (a later argument wins).
        string[] settings = ["--OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4317", bad];

        // Act: the host is never built, so nothing starts half-configured.
        var error = Assert.Throws<OptionsValidationException>(() => TelemetryHost.Build(settings));

        // Assert
        Assert.Equal(OtlpSettings.OptionsName, error.OptionsName);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    /// <summary>The work of <see cref="AddTelemetry_NoEndpoint_NoServiceAndNoProvider"/> and its positive control.</summary>
    private static async Task WorkAsync(TelemetryHost host)
    {
        Assert.Equal("done", await host.Client.GetStringAsync("/work?count=5"));
        host.Work(5);
    }
}
