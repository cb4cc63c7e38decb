using P2PMesh.Testing;

namespace P2PMesh.Grpc.Tests.Infrastructure;

/// <summary>One Echo server (default options) and one channel to it, shared by a test class.</summary>
public sealed class EchoServerFixture : IAsyncLifetime, P2PMesh.Testing.Contract.IEchoTarget
{
    public EchoGrpcHost Host { get; private set; } = null!;
    public Uri Address => Host.Address;
    public GrpcChannel Channel { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await EchoGrpcHost.StartAsync(health: h => h.WatchInterval = TimeSpan.FromMilliseconds(50));
        Channel = GrpcChannel.ForAddress(Host.Address);
    }

    public async Task DisposeAsync()
    {
        Channel.Dispose();
        await Host.DisposeAsync();
    }
}
