using Grpc.Health.V1;
using Grpc.Reflection.V1;
using Grpc.Core;
using P2PMesh.Testing.Contract;

namespace P2PMesh.Interop.Tests;

/// <summary>
/// The Echo contract (the same assertions P2PMesh.Grpc.Tests runs against its own server): this
/// client against grpc-js, the reference for what a gRPC peer does on the wire.
/// </summary>
public sealed class EchoContractOnGrpcJsServerTests(GrpcJsServerFixture fixture)
    : EchoContractTests(fixture), IClassFixture<GrpcJsServerFixture>
{
    [Fact]
    public async Task HealthCheck_ViaThisClient_GrpcJsHealthAnswers()
    {
        var check = new Method<HealthCheckRequest, HealthCheckResponse>(HealthReflection.Descriptor.Services[0], "Check");
        var reply = await Channel.AsyncUnaryCall(check, new HealthCheckRequest { Service = "" });
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
    }

    [Fact]
    public async Task Reflection_ViaThisClient_GrpcJsListsEcho()
    {
        var info = new Method<ServerReflectionRequest, ServerReflectionResponse>(ReflectionReflection.Descriptor.Services[0], "ServerReflectionInfo");
        using var call = Channel.AsyncDuplexStreamingCall(info);
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        var names = new List<string>();
        await foreach (var response in call.ResponseStream)
        {
            names.AddRange(response.ListServicesResponse.Service.Select(s => s.Name));
        }
        Assert.Contains("p2pmesh.testing.v1.Echo", names);
    }
}
