using Grpc.Health.V1;
using Grpc.Reflection.V1;
using Grpc.Core;

namespace P2PMesh.Bootstrap.Tests.Grpc;

/// <summary>The standard services the Bootstrap maps beside its own: health (kubelet probes) and reflection (grpcurl).</summary>
public sealed class StandardServicesTests
{
    [Theory]
    [InlineData("")]
    [InlineData("p2pmesh.v1.Bootstrap")]
    public async Task HealthCheck_Serving(string service)
    {
        await using var host = await BootstrapHost.StartAsync();
        var check = new Method<HealthCheckRequest, HealthCheckResponse>(HealthReflection.Descriptor.Services[0], "Check");

        var reply = await host.Channel.AsyncUnaryCall(check, new HealthCheckRequest { Service = service });

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
    }

    [Fact]
    public async Task Reflection_ListsBootstrap()
    {
        await using var host = await BootstrapHost.StartAsync();
        var info = new Method<ServerReflectionRequest, ServerReflectionResponse>(ReflectionReflection.Descriptor.Services[0], "ServerReflectionInfo");
        using var call = host.Channel.AsyncDuplexStreamingCall(info);
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();

        var services = new List<string>();
        await foreach (var response in call.ResponseStream)
        {
            services.AddRange(response.ListServicesResponse.Service.Select(s => s.Name));
        }

        Assert.Contains("p2pmesh.v1.Bootstrap", services);
        Assert.Contains("grpc.health.v1.Health", services);
    }
}
