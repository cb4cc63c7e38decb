using Google.Protobuf;
using Google.Protobuf.Reflection;
using V1 = Grpc.Reflection.V1;
using V1Alpha = Grpc.Reflection.V1Alpha;

namespace P2PMesh.Grpc.Reflection;

/// <summary>
/// <c>grpc.reflection.v1alpha.ServerReflection</c>, which older clients (grpcurl before 1.9) use.
/// Its messages are field-for-field identical to v1's, so each request is re-read as v1, answered by
/// <see cref="ReflectionServiceV1"/>, and the answer re-read as v1alpha: one implementation, no drift.
/// </summary>
internal sealed class ReflectionServiceV1Alpha(ReflectionIndex index) : IGrpcService
{
    private readonly ReflectionServiceV1 _v1 = new(index);

    public static ServiceDescriptor Descriptor => V1Alpha.ReflectionReflection.Descriptor.Services[0];

    public async Task ServerReflectionInfo(
        IAsyncEnumerable<V1Alpha.ServerReflectionRequest> requests,
        IServerStreamWriter<V1Alpha.ServerReflectionResponse> responses,
        ServerCallContext context)
    {
        var sent = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var request in requests.WithCancellation(context.CancellationToken).ConfigureAwait(false))
        {
            var answer = _v1.Answer(V1.ServerReflectionRequest.Parser.ParseFrom(request.ToByteString()), sent);
            await responses.WriteAsync(V1Alpha.ServerReflectionResponse.Parser.ParseFrom(answer.ToByteString()), context.CancellationToken).ConfigureAwait(false);
        }
    }
}
