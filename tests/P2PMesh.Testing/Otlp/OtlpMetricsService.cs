using Grpc.Core;
using OpenTelemetry.Proto.Collector.Metrics.V1;

namespace P2PMesh.Testing.Otlp;

/// <summary>OTLP/gRPC <c>opentelemetry.proto.collector.metrics.v1.MetricsService</c>: keeps each export, answers full success.</summary>
internal sealed class OtlpMetricsService(OtlpStore store) : MetricsService.MetricsServiceBase
{
    public override Task<ExportMetricsServiceResponse> Export(ExportMetricsServiceRequest request, ServerCallContext context)
    {
        store.Metrics.Enqueue(request);
        return Task.FromResult(new ExportMetricsServiceResponse());
    }
}
