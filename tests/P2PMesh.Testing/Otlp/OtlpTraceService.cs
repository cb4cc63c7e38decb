using Grpc.Core;
using OpenTelemetry.Proto.Collector.Trace.V1;

namespace P2PMesh.Testing.Otlp;

/// <summary>OTLP/gRPC <c>opentelemetry.proto.collector.trace.v1.TraceService</c>: keeps each export, answers full success.</summary>
internal sealed class OtlpTraceService(OtlpStore store) : TraceService.TraceServiceBase
{
    public override Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context)
    {
        store.Traces.Enqueue(request);
        return Task.FromResult(new ExportTraceServiceResponse());
    }
}
