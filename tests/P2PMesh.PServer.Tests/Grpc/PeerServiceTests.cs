using Google.Protobuf.Reflection;
using Grpc.Health.V1;
using Grpc.Reflection.V1;
using Microsoft.Extensions.Options;
using P2PMesh.Core.Peers;
using Grpc.Core;
using P2PMesh.V1;

namespace P2PMesh.PServer.Tests.Grpc;

/// <summary>The PServer process wiring over real HTTP/2: Peer.Ping, health, reflection, option validation.</summary>
public sealed class PeerServiceTests
{
    [Fact]
    public async Task Ping_AnswersWithIdentityBoundPortAndClock()
    {
        await using var host = await PServerHost.StartAsync("--Peer:Id=peer-7");
        using var channel = GrpcChannel.ForAddress(host.Address);
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        var reply = await channel.AsyncUnaryCall(PeerMethods.Ping, new PingRequest { Sender = new PeerInfo { Id = "tester" } });

        Assert.Equal("peer-7", reply.Peer.Id);
        Assert.EndsWith($":{host.Address.Port}", reply.Peer.Address);
        Assert.InRange(reply.UnixTimeMs, before - 1000, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1000);
    }

    [Fact]
    public async Task Ping_AdvertisedAddressConfigured_Reported()
    {
        await using var host = await PServerHost.StartAsync("--Peer:AdvertisedAddress=peer-0.peer.mesh.svc:7000");
        using var channel = GrpcChannel.ForAddress(host.Address);
        var reply = await channel.AsyncUnaryCall(PeerMethods.Ping, new PingRequest());
        Assert.Equal("peer-0.peer.mesh.svc:7000", reply.Peer.Address);
    }

    [Theory]
    [InlineData("")]
    [InlineData("p2pmesh.v1.Peer")]
    public async Task Health_ServerAndPeerService_Serving(string service)
    {
        await using var host = await PServerHost.StartAsync();
        using var channel = GrpcChannel.ForAddress(host.Address);
        var check = new Method<HealthCheckRequest, HealthCheckResponse>(HealthReflection.Descriptor.Services[0], "Check");
        var reply = await channel.AsyncUnaryCall(check, new HealthCheckRequest { Service = service });
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
    }

    [Fact]
    public async Task Reflection_DescribesPeerWithItsImport()
    {
        await using var host = await PServerHost.StartAsync();
        using var channel = GrpcChannel.ForAddress(host.Address);
        var info = new Method<ServerReflectionRequest, ServerReflectionResponse>(ReflectionReflection.Descriptor.Services[0], "ServerReflectionInfo");
        using var call = channel.AsyncDuplexStreamingCall(info);
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = "p2pmesh.v1.Peer.Ping" });
        await call.RequestStream.CompleteAsync();

        var files = new List<string>();
        await foreach (var response in call.ResponseStream)
        {
            files.AddRange(response.FileDescriptorResponse.FileDescriptorProto.Select(b => FileDescriptorProto.Parser.ParseFrom(b).Name));
        }
        Assert.Equal(["p2pmesh/v1/peer.proto", "p2pmesh/v1/common.proto"], files);
    }

    [Theory]
    [InlineData("--Peer:GrpcPort=70000", "GrpcPort")]
    [InlineData("--Peer:Id=", "Id")]
    [InlineData("--Peer:ListenAddress=not-an-ip", "ListenAddress")]
    public async Task InvalidOptions_StartupFails(string setting, string property)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => PServerHost.StartAsync(setting));

        Assert.Equal(typeof(PeerNodeOptions), error.OptionsType);
        Assert.Contains(property, error.Message, StringComparison.Ordinal);
    }
}
