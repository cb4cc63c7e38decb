using System.Net;
using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using P2PMesh.Testing;
using P2PMesh.Testing.V1;

namespace P2PMesh.Grpc.Tests.Server;

/// <summary>Binding service classes to descriptors: missing methods and wrong shapes.</summary>
public sealed class ServiceBindingTests
{
    [Fact]
    public async Task MissingMethod_Unimplemented()
    {
        await using var app = await StartAsync(a => a.MapGrpcService<PartialEcho>());
        using var channel = GrpcChannel.ForAddress(app.Urls.First());

        var reply = await channel.AsyncUnaryCall(EchoMethods.Unary, new EchoRequest { Message = "ok" });
        Assert.Equal("partial ok", reply.Message);
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await channel.AsyncUnaryCall(EchoMethods.GetCallOutcome, new CallOutcomeRequest()));
        Assert.Equal(StatusCode.Unimplemented, ex.StatusCode);
    }

    [Fact]
    public async Task WrongShape_FailsAtStartupNamingTheMethod()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(a => a.MapGrpcService<MisshapedEcho>()));
        Assert.Contains("MisshapedEcho.Unary", ex.Message);
    }

    [Fact]
    public async Task SameServiceTwice_Fails()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(a =>
        {
            a.MapGrpcService<PartialEcho>();
            a.MapGrpcService<PartialEcho>();
        }));
    }

    [Fact]
    public async Task WithoutAddMeshGrpc_ClearError()
    {
        var builder = WebApplication.CreateSlimBuilder(["--hostBuilder:reloadConfigOnChange=false"]);
        await using var app = builder.Build();
        var ex = Assert.Throws<InvalidOperationException>(() => app.MapGrpcService<PartialEcho>());
        Assert.Contains("AddMeshGrpc", ex.Message);
    }

    private static async Task<WebApplication> StartAsync(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder(["--hostBuilder:reloadConfigOnChange=false"]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k => k.ListenGrpcPlaintext(IPAddress.Loopback, 0));
        builder.Services.AddMeshGrpc();
        var app = builder.Build();
        try
        {
            map(app);
            await app.StartAsync();
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    public sealed class PartialEcho : IGrpcService
    {
        public static ServiceDescriptor Descriptor => EchoService.Descriptor;

        public Task<EchoReply> Unary(EchoRequest request, ServerCallContext context) =>
            Task.FromResult(new EchoReply { Message = "partial " + request.Message });
    }

    public sealed class MisshapedEcho : IGrpcService
    {
        public static ServiceDescriptor Descriptor => EchoService.Descriptor;

        public EchoReply Unary(EchoRequest request) => new();
    }
}
