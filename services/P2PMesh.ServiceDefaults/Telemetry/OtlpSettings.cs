using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
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
    /// <summary>The <see cref="OptionsValidationException.OptionsName"/> of <see cref="Read"/>'s errors: <c>OTEL</c>.</summary>
    public const string OptionsName = "OTEL";

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

    private const int DefaultMetricExportIntervalMilliseconds = 60_000;
    private const int DefaultSpanScheduleDelayMilliseconds = 5_000;

    /// <summary>Milliseconds between metric exports (<see cref="MetricExportIntervalKey"/>).</summary>
    public int MetricExportIntervalMilliseconds { get; init; } = DefaultMetricExportIntervalMilliseconds;

    /// <summary>Milliseconds between span batch exports (<see cref="SpanScheduleDelayKey"/>).</summary>
    public int SpanScheduleDelayMilliseconds { get; init; } = DefaultSpanScheduleDelayMilliseconds;

    /// <summary>Whether anything is exported at all.</summary>
    public bool Enabled => TracesEndpoint is not null || MetricsEndpoint is not null;

    /// <summary><c>OTEL_TRACES_SAMPLER</c>: which spans are recorded and exported. One of <see cref="Samplers"/>;
    /// default <see cref="DefaultSampler"/>. Housekeeping calls are kept out before it decides (<see cref="HousekeepingCalls"/>).</summary>
    public const string SamplerKey = "OTEL_TRACES_SAMPLER";

    /// <summary>The sampler when <see cref="SamplerKey"/> is unset: <c>parentbased_always_on</c>, as in the OpenTelemetry SDK.</summary>
    public const string DefaultSampler = "parentbased_always_on";

    /// <summary><c>OTEL_TRACES_SAMPLER_ARG</c>: the ratio of <c>traceidratio</c> and <c>parentbased_traceidratio</c>,
    /// a number from 0 to 1 (invariant culture); default 1.</summary>
    public const string SamplerArgKey = "OTEL_TRACES_SAMPLER_ARG";

    /// <summary>The sampler in force (<see cref="SamplerKey"/>): one of <see cref="Samplers"/>.</summary>
    public string TracesSampler { get; init; } = DefaultSampler;

    /// <summary>The ratio of <c>traceidratio</c> and <c>parentbased_traceidratio</c> (<see cref="SamplerArgKey"/>),
    /// from 0 to 1; 1 when unset, as in the OpenTelemetry SDK. Ignored by the other samplers.</summary>
    public double TracesSamplerRatio { get; init; } = 1;

    /// <summary>The <see cref="SamplerKey"/> values the OpenTelemetry .NET SDK implements.</summary>
    public static IReadOnlyList<string> Samplers { get; } =
        ["always_on", "always_off", "traceidratio", "parentbased_always_on", "parentbased_always_off", "parentbased_traceidratio"];

    /// <summary>
    /// Reads the settings. A signal is exported when <c>OTEL_EXPORTER_OTLP_{TRACES|METRICS}_ENDPOINT</c> or
    /// <see cref="EndpointKey"/> is set (and <see cref="SdkDisabledKey"/> is not <c>true</c>); the
    /// signal-specific <c>_PROTOCOL</c>, <c>_HEADERS</c> and <c>_TIMEOUT</c> override the general ones.
    /// </summary>
    /// <remarks>
    /// Only the settings in force are checked: with no endpoint (or the SDK disabled) nothing else is read,
    /// and the sampler only when traces are exported. A malformed value stops the host at startup with
    /// every problem named, rather than exporting nothing, or to the wrong place, without a word. This is
    /// stricter than the OpenTelemetry "Environment Variable Specification", which lets an SDK warn and
    /// ignore a value it cannot parse: a misspelt protocol or endpoint on a pod would otherwise go unseen
    /// until someone misses the traces.
    /// </remarks>
    /// <exception cref="OptionsValidationException">An endpoint is not an absolute http(s) URL, a protocol is
    /// neither <c>grpc</c> nor <c>http/protobuf</c> (<c>http/json</c> included: the .NET exporter lacks it),
    /// a timeout or interval is not a positive whole number, the sampler is not one of <see cref="Samplers"/>,
    /// or a ratio sampler's argument is not a number from 0 to 1. <see cref="OptionsValidationException.OptionsName"/>
    /// is <c>OTEL</c>; <see cref="OptionsValidationException.Failures"/> holds one message per problem, each
    /// naming the variable and its value, e.g. <c>OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' is not supported;
    /// use 'grpc' or 'http/protobuf'.</c></exception>
    public static OtlpSettings Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (bool.TryParse(configuration[SdkDisabledKey], out var disabled) && disabled)
        {
            return new OtlpSettings(null, null);
        }
        var failures = new List<string>();
        var settings = new OtlpSettings(ReadSignal(configuration, "TRACES", "v1/traces", failures), ReadSignal(configuration, "METRICS", "v1/metrics", failures))
        {
            MetricExportIntervalMilliseconds = ReadPositive(configuration, MetricExportIntervalKey, failures) ?? DefaultMetricExportIntervalMilliseconds,
            SpanScheduleDelayMilliseconds = ReadPositive(configuration, SpanScheduleDelayKey, failures) ?? DefaultSpanScheduleDelayMilliseconds,
        };
        if (settings.TracesEndpoint is not null)
        {
            var (sampler, ratio) = ReadSampler(configuration, failures);
            settings = settings with { TracesSampler = sampler, TracesSamplerRatio = ratio };
        }
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(OptionsName, typeof(OtlpSettings), [.. failures.Distinct(StringComparer.Ordinal)]);
        }
        return settings;
    }

    private static OtlpSignalEndpoint? ReadSignal(IConfiguration configuration, string signal, string signalPath, List<string> failures)
    {
        var specificKey = $"OTEL_EXPORTER_OTLP_{signal}_ENDPOINT";
        var specific = NonEmpty(configuration[specificKey]);
        var general = NonEmpty(configuration[EndpointKey]);
        if (specific is null && general is null)
        {
            return null;
        }
        var protocolKey = $"OTEL_EXPORTER_OTLP_{signal}_PROTOCOL";
        var (protocolSource, protocolName) = NonEmpty(configuration[protocolKey]) is { } specificProtocol
            ? (protocolKey, specificProtocol)
            : (ProtocolKey, NonEmpty(configuration[ProtocolKey]) ?? "grpc");
        OtlpExportProtocol? protocol = protocolName switch
        {
            "grpc" => OtlpExportProtocol.Grpc,
            "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
            _ => null,
        };
        if (protocol is null)
        {
            failures.Add($"{protocolSource}: '{protocolName}' is not supported; use 'grpc' or 'http/protobuf'.");
        }
        var (endpointKey, raw) = specific is not null ? (specificKey, specific) : (EndpointKey, general!);
        if (!Uri.TryCreate(raw, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"{endpointKey}: '{raw}' is not an absolute http:// or https:// URL (e.g. http://otel-collector:4317).");
            endpoint = null;
        }
        var timeout = ReadPositive(configuration, $"OTEL_EXPORTER_OTLP_{signal}_TIMEOUT", failures) ?? ReadPositive(configuration, TimeoutKey, failures) ?? 10_000;
        if (protocol is not { } valid || endpoint is null)
        {
            return null;
        }
        // A base endpoint gets the signal's path for OTLP/HTTP; a signal-specific one is used as given (OTLP exporter spec, "Endpoint URLs for OTLP/HTTP").
        if (specific is null && valid == OtlpExportProtocol.HttpProtobuf)
        {
            var text = endpoint.AbsoluteUri;
            endpoint = new Uri(text.EndsWith('/') ? text + signalPath : text + "/" + signalPath);
        }
        return new OtlpSignalEndpoint(endpoint, valid)
        {
            Headers = NonEmpty(configuration[$"OTEL_EXPORTER_OTLP_{signal}_HEADERS"]) ?? NonEmpty(configuration[HeadersKey]),
            TimeoutMilliseconds = timeout,
        };
    }

    private static (string Sampler, double Ratio) ReadSampler(IConfiguration configuration, List<string> failures)
    {
        var sampler = NonEmpty(configuration[SamplerKey]);
        if (sampler is null)
        {
            return (DefaultSampler, 1);
        }
        if (!Samplers.Contains(sampler, StringComparer.Ordinal))
        {
            failures.Add($"{SamplerKey}: '{sampler}' is not supported; use {string.Join(", ", Samplers)}.");
            return (DefaultSampler, 1);
        }
        var argument = NonEmpty(configuration[SamplerArgKey]);
        if (!sampler.EndsWith("traceidratio", StringComparison.Ordinal) || argument is null)
        {
            return (sampler, 1);
        }
        if (double.TryParse(argument, NumberStyles.Float, CultureInfo.InvariantCulture, out var ratio) && ratio is >= 0 and <= 1)
        {
            return (sampler, ratio);
        }
        failures.Add($"{SamplerArgKey}: '{argument}' is not a ratio from 0 to 1 (for {SamplerKey}={sampler}).");
        return (sampler, 1);
    }

    private static int? ReadPositive(IConfiguration configuration, string key, List<string> failures)
    {
        var value = NonEmpty(configuration[key]);
        if (value is null)
        {
            return null;
        }
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0)
        {
            return number;
        }
        failures.Add($"{key}: '{value}' is not a positive whole number of milliseconds.");
        return null;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
