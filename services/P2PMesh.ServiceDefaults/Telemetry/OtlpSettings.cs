using System.Globalization;
using Microsoft.Extensions.Configuration;
using OpenTelemetry.Exporter;

namespace P2PMesh.ServiceDefaults.Telemetry;

/// <summary>
/// The OTLP exporter settings of one host, read from its <see cref="IConfiguration"/> by the standard
/// names of the OpenTelemetry specification ("OpenTelemetry Protocol Exporter" and "Environment Variable
/// Specification"): environment variables in production, <c>--OTEL_...=</c> arguments in tests.
/// </summary>
/// <param name="TracesEndpoint">Where spans go; <c>null</c> exports no spans.</param>
/// <param name="MetricsEndpoint">Where metrics go; <c>null</c> exports no metrics.</param>
public sealed record OtlpSettings(OtlpSignalEndpoint? TracesEndpoint, OtlpSignalEndpoint? MetricsEndpoint)
{
    /// <summary><c>OTEL_SDK_DISABLED</c>: <c>true</c> turns everything off.</summary>
    public const string SdkDisabledKey = "OTEL_SDK_DISABLED";

    /// <summary><c>OTEL_EXPORTER_OTLP_ENDPOINT</c>: the base URL for every signal (<c>/v1/traces</c> and
    /// <c>/v1/metrics</c> are appended for <c>http/protobuf</c>).</summary>
    public const string EndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary><c>OTEL_EXPORTER_OTLP_PROTOCOL</c>: <c>grpc</c> (the .NET SDK's default) or <c>http/protobuf</c>.</summary>
    public const string ProtocolKey = "OTEL_EXPORTER_OTLP_PROTOCOL";

    /// <summary><c>OTEL_EXPORTER_OTLP_HEADERS</c>: <c>key=value,key2=value2</c> sent with every export.</summary>
    public const string HeadersKey = "OTEL_EXPORTER_OTLP_HEADERS";

    /// <summary><c>OTEL_EXPORTER_OTLP_TIMEOUT</c>: milliseconds per export; default 10000.</summary>
    public const string TimeoutKey = "OTEL_EXPORTER_OTLP_TIMEOUT";

    /// <summary><c>OTEL_METRIC_EXPORT_INTERVAL</c>: milliseconds between metric exports; default 60000.</summary>
    public const string MetricExportIntervalKey = "OTEL_METRIC_EXPORT_INTERVAL";

    /// <summary><c>OTEL_BSP_SCHEDULE_DELAY</c>: milliseconds between span batch exports; default 5000.</summary>
    public const string SpanScheduleDelayKey = "OTEL_BSP_SCHEDULE_DELAY";

    /// <summary>Milliseconds between metric exports (<see cref="MetricExportIntervalKey"/>).</summary>
    public int MetricExportIntervalMilliseconds { get; init; } = 60_000;

    /// <summary>Milliseconds between span batch exports (<see cref="SpanScheduleDelayKey"/>).</summary>
    public int SpanScheduleDelayMilliseconds { get; init; } = 5_000;

    /// <summary>Whether anything is exported at all.</summary>
    public bool Enabled => TracesEndpoint is not null || MetricsEndpoint is not null;

    /// <summary>
    /// Reads the settings. A signal is exported when <c>OTEL_EXPORTER_OTLP_{TRACES|METRICS}_ENDPOINT</c> or
    /// <see cref="EndpointKey"/> is set (and <see cref="SdkDisabledKey"/> is not <c>true</c>); the
    /// signal-specific <c>_PROTOCOL</c>, <c>_HEADERS</c> and <c>_TIMEOUT</c> override the general ones.
    /// </summary>
    /// <exception cref="InvalidOperationException">An endpoint is not an absolute http(s) URL, the protocol is
    /// neither <c>grpc</c> nor <c>http/protobuf</c>, or a number is not a positive integer.</exception>
    public static OtlpSettings Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (bool.TryParse(configuration[SdkDisabledKey], out var disabled) && disabled)
        {
            return new OtlpSettings(null, null);
        }
        return new OtlpSettings(ReadSignal(configuration, "TRACES", "v1/traces"), ReadSignal(configuration, "METRICS", "v1/metrics"))
        {
            MetricExportIntervalMilliseconds = ReadPositive(configuration, MetricExportIntervalKey) ?? 60_000,
            SpanScheduleDelayMilliseconds = ReadPositive(configuration, SpanScheduleDelayKey) ?? 5_000,
        };
    }

    private static OtlpSignalEndpoint? ReadSignal(IConfiguration configuration, string signal, string signalPath)
    {
        var specific = NonEmpty(configuration[$"OTEL_EXPORTER_OTLP_{signal}_ENDPOINT"]);
        var general = NonEmpty(configuration[EndpointKey]);
        if (specific is null && general is null)
        {
            return null;
        }
        var protocolName = NonEmpty(configuration[$"OTEL_EXPORTER_OTLP_{signal}_PROTOCOL"]) ?? NonEmpty(configuration[ProtocolKey]) ?? "grpc";
        var protocol = protocolName switch
        {
            "grpc" => OtlpExportProtocol.Grpc,
            "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
            _ => throw new InvalidOperationException($"OTLP protocol '{protocolName}' is not supported; use 'grpc' or 'http/protobuf'."),
        };
        var raw = specific ?? general!;
        if (!Uri.TryCreate(raw, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
        {
            throw new InvalidOperationException($"OTLP endpoint '{raw}' is not an absolute http:// or https:// URL.");
        }
        // A base endpoint gets the signal's path for OTLP/HTTP; a signal-specific one is used as given (OTLP exporter spec, "Endpoint URLs for OTLP/HTTP").
        if (specific is null && protocol == OtlpExportProtocol.HttpProtobuf)
        {
            var text = endpoint.AbsoluteUri;
            endpoint = new Uri(text.EndsWith('/') ? text + signalPath : text + "/" + signalPath);
        }
        return new OtlpSignalEndpoint(endpoint, protocol)
        {
            Headers = NonEmpty(configuration[$"OTEL_EXPORTER_OTLP_{signal}_HEADERS"]) ?? NonEmpty(configuration[HeadersKey]),
            TimeoutMilliseconds = ReadPositive(configuration, $"OTEL_EXPORTER_OTLP_{signal}_TIMEOUT") ?? ReadPositive(configuration, TimeoutKey) ?? 10_000,
        };
    }

    private static int? ReadPositive(IConfiguration configuration, string key)
    {
        var value = NonEmpty(configuration[key]);
        if (value is null)
        {
            return null;
        }
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new InvalidOperationException($"{key} must be a positive whole number of milliseconds, not '{value}'.");
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
