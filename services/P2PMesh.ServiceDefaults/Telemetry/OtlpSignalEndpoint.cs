using OpenTelemetry.Exporter;

namespace P2PMesh.ServiceDefaults.Telemetry;

/// <summary>Where and how one signal (traces or metrics) is exported over OTLP.</summary>
/// <param name="Endpoint">The full URL: for <c>http/protobuf</c> including the signal path (e.g.
/// <c>http://collector:4318/v1/traces</c>), for <c>grpc</c> the collector's base URL (e.g. <c>http://collector:4317</c>).</param>
/// <param name="Protocol">OTLP/gRPC or OTLP/HTTP with protobuf bodies.</param>
public sealed record OtlpSignalEndpoint(Uri Endpoint, OtlpExportProtocol Protocol)
{
    /// <summary>Extra request headers, <c>key=value,key2=value2</c>; <c>null</c> for none.</summary>
    public string? Headers { get; init; }

    /// <summary>Milliseconds one export may take. Defaults to 10000.</summary>
    public int TimeoutMilliseconds { get; init; } = 10_000;

    /// <summary>The exporter options for this endpoint (the signal path, if any, is already in <see cref="Endpoint"/>).</summary>
    public OtlpExporterOptions ToExporterOptions()
    {
        var options = new OtlpExporterOptions
        {
            Endpoint = Endpoint,
            Protocol = Protocol,
            TimeoutMilliseconds = TimeoutMilliseconds,
        };
        if (Headers is not null)
        {
            options.Headers = Headers;
        }
        return options;
    }
}
