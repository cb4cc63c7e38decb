using Google.Protobuf.Reflection;
using OpenTelemetry.Proto.Collector.Trace.V1;
using P2PMesh.Grpc;

namespace P2PMesh.Testing.Otlp;

/// <summary>OTLP/gRPC <c>opentelemetry.proto.collector.trace.v1.TraceService</c>: keeps each export.</summary>
public sealed class OtlpTraceGrpcService(OtlpStore store) : IGrpcService
{
    public static ServiceDescriptor Descriptor => TraceServiceReflection.Descriptor.Services[0];

    public Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context)
    {
        store.Traces.Enqueue(request);
        return Task.FromResult(new ExportTraceServiceResponse());
    }
}
