using P2PMesh.Testing.Otlp;

namespace P2PMesh.ServiceDefaults.Tests.Telemetry;

/// <summary>Settings that point a <see cref="TestHost"/> at a receiver.</summary>
public static class Otlp
{
    /// <summary><c>--OTEL_EXPORTER_OTLP_ENDPOINT</c> and <c>_PROTOCOL</c> for <paramref name="receiver"/>.</summary>
    public static string[] To(OtlpReceiver receiver, string protocol = "http/protobuf") =>
    [
        $"--OTEL_EXPORTER_OTLP_ENDPOINT={(protocol == "grpc" ? receiver.GrpcEndpoint : receiver.HttpEndpoint).AbsoluteUri.TrimEnd('/')}",
        $"--OTEL_EXPORTER_OTLP_PROTOCOL={protocol}",
    ];

    /// <summary>The final value of <see cref="TestWork.CounterName"/> the receiver got (0 if none): proof the host exported at all.</summary>
    public static double WorkCount(OtlpReceiver receiver) =>
        receiver.Metrics.LastOrDefault(m => m.Metric.Name == TestWork.CounterName)?.Total ?? 0;
}
