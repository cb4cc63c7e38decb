using Google.Protobuf.Reflection;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using P2PMesh.Grpc;

namespace P2PMesh.Testing.Otlp;

/// <summary>OTLP/gRPC <c>opentelemetry.proto.collector.metrics.v1.MetricsService</c>: keeps each export.</summary>
public sealed class OtlpMetricsGrpcService(OtlpStore store) : IGrpcService
{
    public static ServiceDescriptor Descriptor => MetricsServiceReflection.Descriptor.Services[0];

    public Task<ExportMetricsServiceResponse> Export(ExportMetricsServiceRequest request, ServerCallContext context)
    {
        store.Metrics.Enqueue(request);
        return Task.FromResult(new ExportMetricsServiceResponse());
    }
}
