using Microsoft.Extensions.Options;
using P2PMesh.V1;

namespace P2PMesh.PServer.Tests.Grpc;

/// <summary>
/// The PServer process wiring over real HTTP/2: Peer.Ping and option validation (health and reflection:
/// <see cref="StandardServicesTests"/>).
/// </summary>
public sealed class PeerServiceTests
{
    [Fact]
    public async Task Ping_AnswersWithIdentityBoundPortAndClock()
    {
        await using var host = await PServerHost.StartAsync("--Peer:Id=peer-7");
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        var reply = await host.Client.PingAsync(new PingRequest { Sender = new PeerInfo { Id = "tester" } });

        Assert.Equal("peer-7", reply.Peer.Id);
        Assert.EndsWith($":{host.Address.Port}", reply.Peer.Address);
        Assert.InRange(reply.UnixTimeMs, before - 1000, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1000);
    }

    [Fact]
    public async Task Ping_AdvertisedAddressConfigured_Reported()
    {
        await using var host = await PServerHost.StartAsync("--Peer:AdvertisedAddress=peer-0.peer.mesh.svc:7000");
        var reply = await host.Client.PingAsync(new PingRequest());
        Assert.Equal("peer-0.peer.mesh.svc:7000", reply.Peer.Address);
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
