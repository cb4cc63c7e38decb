using System.Collections.Concurrent;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;

namespace P2PMesh.Testing.Otlp;

/// <summary>
/// One OTLP/gRPC collector service, <c>opentelemetry.proto.collector.{signal}.v1.{Signal}Service</c> (the one service of
/// <typeparamref name="TRequest"/>'s .proto file, e.g. <c>TraceService</c> for <c>ExportTraceServiceRequest</c>): keeps
/// each export in <paramref name="into"/> and answers with an empty (full success) response.
/// </summary>
/// <typeparam name="TRequest">The signal's export request, e.g. <c>ExportTraceServiceRequest</c>.</typeparam>
/// <typeparam name="TResponse">The signal's export response, e.g. <c>ExportTraceServiceResponse</c>.</typeparam>
public sealed class OtlpExportGrpcService<TRequest, TResponse>(ConcurrentQueue<TRequest> into) : IGrpcService
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>, new()
{
    public static ServiceDescriptor Descriptor { get; } = new TRequest().Descriptor.File.Services[0];

    public Task<TResponse> Export(TRequest request, ServerCallContext context)
    {
        into.Enqueue(request);
        return Task.FromResult(new TResponse());
    }
}
