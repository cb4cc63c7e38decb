using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using P2PMesh.ServiceDefaults.Telemetry;

namespace P2PMesh.ServiceDefaults.Tests.Telemetry;

/// <summary><see cref="OtlpSettings.Read"/>: the standard <c>OTEL_*</c> names, their precedence, and bad values.</summary>
public sealed class OtlpSettingsTests
{
    private static OtlpSettings Read(params (string Key, string Value)[] settings) =>
        OtlpSettings.Read(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build());

    [Fact]
    public void Read_NoEndpoint_NothingEnabled()
    {
        var settings = Read(("OTEL_SERVICE_NAME", "x"), ("OTEL_TRACES_SAMPLER", "always_on"));

        Assert.False(settings.Enabled);
        Assert.Null(settings.TracesEndpoint);
        Assert.Null(settings.MetricsEndpoint);
    }

    [Fact]
    public void Read_EndpointOnly_GrpcForBothSignalsWithDefaults()
    {
        var settings = Read(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317"));

        Assert.True(settings.Enabled);
        foreach (var signal in new[] { settings.TracesEndpoint!, settings.MetricsEndpoint! })
        {
            Assert.Equal((new Uri("http://collector:4317"), OtlpExportProtocol.Grpc), (signal.Endpoint, signal.Protocol));
            Assert.Equal(10_000, signal.TimeoutMilliseconds);
            Assert.Null(signal.Headers);
        }
        Assert.Equal(60_000, settings.MetricExportIntervalMilliseconds);
        Assert.Equal(5_000, settings.SpanScheduleDelayMilliseconds);
    }

    [Theory]
    [InlineData("http://collector:4318", "http://collector:4318/v1/traces", "http://collector:4318/v1/metrics")]
    [InlineData("http://collector:4318/", "http://collector:4318/v1/traces", "http://collector:4318/v1/metrics")]
    [InlineData("https://gateway.example/otlp", "https://gateway.example/otlp/v1/traces", "https://gateway.example/otlp/v1/metrics")]
    public void Read_HttpProtobufBaseEndpoint_SignalPathsAppended(string endpoint, string traces, string metrics)
    {
        var settings = Read(("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint), ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"));

        Assert.Equal((new Uri(traces), OtlpExportProtocol.HttpProtobuf), (settings.TracesEndpoint!.Endpoint, settings.TracesEndpoint.Protocol));
        Assert.Equal((new Uri(metrics), OtlpExportProtocol.HttpProtobuf), (settings.MetricsEndpoint!.Endpoint, settings.MetricsEndpoint.Protocol));
    }

    [Fact]
    public void Read_SignalEndpointOnly_ThatSignalOnlyUsedAsGiven()
    {
        var settings = Read(("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://jaeger:4318/custom/traces"), ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"));

        Assert.Equal(new Uri("http://jaeger:4318/custom/traces"), settings.TracesEndpoint!.Endpoint);
        Assert.Null(settings.MetricsEndpoint);
    }

    [Fact]
    public void Read_SignalSettings_OverrideTheGeneralOnes()
    {
        var settings = Read(
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317"),
            ("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "http://prometheus:9090/api/v1/otlp/v1/metrics"),
            ("OTEL_EXPORTER_OTLP_METRICS_PROTOCOL", "http/protobuf"),
            ("OTEL_EXPORTER_OTLP_HEADERS", "authorization=Bearer a"),
            ("OTEL_EXPORTER_OTLP_METRICS_HEADERS", "authorization=Bearer b"),
            ("OTEL_EXPORTER_OTLP_TIMEOUT", "2500"),
            ("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "1500"),
            ("OTEL_METRIC_EXPORT_INTERVAL", "10000"),
            ("OTEL_BSP_SCHEDULE_DELAY", "200"));

        Assert.Equal((new Uri("http://collector:4317"), OtlpExportProtocol.Grpc, "authorization=Bearer a", 1500),
            (settings.TracesEndpoint!.Endpoint, settings.TracesEndpoint.Protocol, settings.TracesEndpoint.Headers, settings.TracesEndpoint.TimeoutMilliseconds));
        Assert.Equal((new Uri("http://prometheus:9090/api/v1/otlp/v1/metrics"), OtlpExportProtocol.HttpProtobuf, "authorization=Bearer b", 2500),
            (settings.MetricsEndpoint!.Endpoint, settings.MetricsEndpoint.Protocol, settings.MetricsEndpoint.Headers, settings.MetricsEndpoint.TimeoutMilliseconds));
        Assert.Equal((10_000, 200), (settings.MetricExportIntervalMilliseconds, settings.SpanScheduleDelayMilliseconds));
    }

    [Fact]
    public void Read_SdkDisabled_NothingEvenWithAnEndpointAndBadValues()
    {
        var settings = Read(("OTEL_SDK_DISABLED", "true"), ("OTEL_EXPORTER_OTLP_ENDPOINT", "not a url"), ("OTEL_EXPORTER_OTLP_PROTOCOL", "carrier-pigeon"));

        Assert.False(settings.Enabled);
    }

    [Fact]
    public void Read_NoEndpoint_SettingsOfSignalsNotExportedAreNotChecked()
    {
        // Documented: only the settings in force are read; with no endpoint nothing else is.
        var settings = Read(("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json"), ("OTEL_TRACES_SAMPLER", "sometimes"));

        Assert.False(settings.Enabled);
    }

    [Fact]
    public void Read_MetricsOnly_SamplerNotChecked()
    {
        var settings = Read(("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "http://collector:4317"), ("OTEL_TRACES_SAMPLER", "sometimes"));

        Assert.NotNull(settings.MetricsEndpoint);
        Assert.Null(settings.TracesEndpoint);
    }

    [Theory]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4317", "OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4317' is not an absolute http:// or https:// URL")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "localhost", "OTEL_EXPORTER_OTLP_ENDPOINT: 'localhost' is not an absolute http:// or https:// URL")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "ftp://collector:4317", "OTEL_EXPORTER_OTLP_ENDPOINT: 'ftp://collector:4317' is not an absolute")]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "/v1/traces", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '/v1/traces' is not an absolute")]
    [InlineData("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json", "OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' is not supported; use 'grpc' or 'http/protobuf'.")]
    [InlineData("OTEL_EXPORTER_OTLP_PROTOCOL", "GRPC", "OTEL_EXPORTER_OTLP_PROTOCOL: 'GRPC' is not supported")]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "udp", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'udp' is not supported")]
    [InlineData("OTEL_EXPORTER_OTLP_TIMEOUT", "10s", "OTEL_EXPORTER_OTLP_TIMEOUT: '10s' is not a positive whole number of milliseconds.")]
    [InlineData("OTEL_EXPORTER_OTLP_METRICS_TIMEOUT", "0", "OTEL_EXPORTER_OTLP_METRICS_TIMEOUT: '0' is not a positive whole number")]
    [InlineData("OTEL_METRIC_EXPORT_INTERVAL", "-1", "OTEL_METRIC_EXPORT_INTERVAL: '-1' is not a positive whole number")]
    [InlineData("OTEL_BSP_SCHEDULE_DELAY", "fast", "OTEL_BSP_SCHEDULE_DELAY: 'fast' is not a positive whole number")]
    [InlineData("OTEL_TRACES_SAMPLER", "sometimes", "OTEL_TRACES_SAMPLER: 'sometimes' is not supported; use always_on, always_off, traceidratio,")]
    [InlineData("OTEL_TRACES_SAMPLER_ARG", "half", "OTEL_TRACES_SAMPLER_ARG: 'half' is not a ratio from 0 to 1 (for OTEL_TRACES_SAMPLER=traceidratio).")]
    [InlineData("OTEL_TRACES_SAMPLER_ARG", "1.5", "OTEL_TRACES_SAMPLER_ARG: '1.5' is not a ratio from 0 to 1")]
    public void Read_BadValue_OptionsValidationExceptionNamingTheVariableAndValue(string key, string value, string message)
    {
        var settings = new List<(string, string)> { ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317"), ("OTEL_TRACES_SAMPLER", "traceidratio") };
        settings.RemoveAll(s => s.Item1 == key);
        settings.Add((key, value));

        var error = Assert.Throws<OptionsValidationException>(() => Read([.. settings]));

        Assert.Equal(OtlpSettings.OptionsName, error.OptionsName);
        Assert.Equal(typeof(OtlpSettings), error.OptionsType);
        Assert.StartsWith(message, Assert.Single(error.Failures), StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SeveralBadValues_EveryProblemReportedOnce()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Read(
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "collector"),
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json"),
            ("OTEL_EXPORTER_OTLP_TIMEOUT", "soon")));

        // Both signals read the general settings; each problem is still listed once.
        Assert.Equal(3, error.Failures.Count());
        Assert.Contains(error.Failures, f => f.StartsWith("OTEL_EXPORTER_OTLP_ENDPOINT:", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("OTEL_EXPORTER_OTLP_PROTOCOL:", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("OTEL_EXPORTER_OTLP_TIMEOUT:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("always_on", null)]
    [InlineData("always_off", null)]
    [InlineData("traceidratio", "0")]
    [InlineData("traceidratio", "0.25")]
    [InlineData("parentbased_traceidratio", "1")]
    [InlineData("parentbased_always_on", "ignored")]
    [InlineData("parentbased_always_off", null)]
    public void Read_KnownSampler_Accepted(string sampler, string? argument)
    {
        var settings = new List<(string, string)> { ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317"), ("OTEL_TRACES_SAMPLER", sampler) };
        if (argument is not null)
        {
            settings.Add(("OTEL_TRACES_SAMPLER_ARG", argument));
        }

        Assert.NotNull(Read([.. settings]).TracesEndpoint);
    }
}
