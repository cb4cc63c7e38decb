namespace P2PMesh.Cli.LocalMesh;

/// <summary>
/// <c>p2pmesh up --otlp URL [--otlp-protocol P]</c>: where every child exports its traces and metrics, as the
/// standard OpenTelemetry environment variables
/// (<see href="https://opentelemetry.io/docs/specs/otel/protocol/exporter/"/>) that the services' SDK reads.
/// </summary>
/// <param name="Endpoint">The collector's base URL (the SDK appends <c>/v1/traces</c> etc. for http/protobuf).</param>
/// <param name="ForcedProtocol">From <c>--otlp-protocol</c>; <c>null</c> to infer it (<see cref="InferProtocol"/>).</param>
internal sealed record OtlpSettings(Uri Endpoint, string? ForcedProtocol = null)
{
    /// <summary>The collector's base URL.</summary>
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary><c>grpc</c> (the default) or <c>http/protobuf</c>.</summary>
    public const string ProtocolVariable = "OTEL_EXPORTER_OTLP_PROTOCOL";

    /// <summary>The <c>service.name</c> resource attribute.</summary>
    public const string ServiceNameVariable = "OTEL_SERVICE_NAME";

    /// <summary>
    /// Per-signal overrides that would win over <see cref="EndpointVariable"/> and <see cref="ProtocolVariable"/>
    /// if a child inherited them, so <c>--otlp</c> removes them.
    /// </summary>
    public static readonly string[] SignalVariables =
    [
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT",
        "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL", "OTEL_EXPORTER_OTLP_LOGS_PROTOCOL",
    ];

    /// <summary>The protocol the children will use: the forced one, else the inferred one, else gRPC (the SDK's default).</summary>
    public string Protocol => ForcedProtocol ?? InferProtocol(Endpoint) ?? OtlpProtocols.Grpc;

    /// <summary>
    /// <c>http/protobuf</c> when the URL looks like an OTLP/HTTP receiver: port 4318 (the standard OTLP/HTTP port)
    /// or a path (an OTLP/gRPC endpoint has none; an HTTP one behind a proxy often has, e.g. <c>/otlp</c>);
    /// otherwise <c>null</c>: leave the SDK's default, gRPC (port 4317).
    /// </summary>
    public static string? InferProtocol(Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return endpoint.Port == 4318 || endpoint.AbsolutePath.Trim('/').Length > 0 ? OtlpProtocols.HttpProtobuf : null;
    }

    /// <summary>
    /// Checks a <c>--otlp</c> value: an absolute http(s) URL with a host, no query or fragment, and not a
    /// per-signal URL (the SDK appends <c>/v1/traces</c> itself). Returns the error to show, or <c>null</c>.
    /// </summary>
    public static string? Validate(string? text, out Uri? endpoint)
    {
        endpoint = null;
        const string Example = "e.g. http://localhost:4317 (OTLP/gRPC) or http://localhost:4318 (OTLP/HTTP)";
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.Host.Length == 0)
        {
            return $"--otlp: '{text}' is not an absolute http(s) URL; {Example}.";
        }
        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            return $"--otlp: '{text}' has a query or fragment; give the collector's base URL, {Example}.";
        }
        var path = uri.AbsolutePath.TrimEnd('/');
        if (path.EndsWith("/v1/traces", StringComparison.OrdinalIgnoreCase) || path.EndsWith("/v1/metrics", StringComparison.OrdinalIgnoreCase) || path.EndsWith("/v1/logs", StringComparison.OrdinalIgnoreCase))
        {
            return $"--otlp: '{text}' names one signal's path; give the base URL without {path[path.LastIndexOf("/v1/", StringComparison.OrdinalIgnoreCase)..]} (the exporter appends it).";
        }
        endpoint = uri;
        return null;
    }

    /// <summary>
    /// The environment changes for one child: the endpoint, its service name, the protocol (set when not gRPC,
    /// removed otherwise so that an inherited one cannot contradict the URL), and the per-signal overrides
    /// removed. A <c>null</c> value means "remove from the inherited environment".
    /// </summary>
    public IReadOnlyDictionary<string, string?> EnvironmentFor(string serviceName)
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceName);
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            // Uri.ToString() would add a trailing '/' to a bare authority; keep what the user typed, less that.
            [EndpointVariable] = Endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/'),
            [ServiceNameVariable] = serviceName,
            [ProtocolVariable] = Protocol == OtlpProtocols.Grpc && ForcedProtocol is null ? null : Protocol,
        };
        foreach (var variable in SignalVariables)
        {
            environment[variable] = null;
        }
        return environment;
    }
}
