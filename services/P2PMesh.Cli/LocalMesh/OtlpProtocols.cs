namespace P2PMesh.Cli.LocalMesh;

/// <summary>
/// The values of <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> that the .NET OTLP exporter understands, see
/// <see href="https://opentelemetry.io/docs/specs/otel/protocol/exporter/#specify-protocol"/>.
/// </summary>
internal static class OtlpProtocols
{
    /// <summary>OTLP over gRPC, the exporter's default (collector port 4317).</summary>
    public const string Grpc = "grpc";

    /// <summary>OTLP over HTTP with protobuf bodies (collector port 4318, paths <c>/v1/traces</c>, <c>/v1/metrics</c>, <c>/v1/logs</c>).</summary>
    public const string HttpProtobuf = "http/protobuf";

    /// <summary>Every value <c>--otlp-protocol</c> accepts.</summary>
    public static readonly string[] All = [Grpc, HttpProtobuf];
}
