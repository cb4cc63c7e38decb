using Grpc.Net.Client;
using P2PMesh.Testing;
using P2PMesh.Testing.Contract;

namespace P2PMesh.Interop.Tests;

/// <summary>An <see cref="EchoGrpcHost"/> in this process for a test class, stopped afterwards even when tests fail.</summary>
public sealed class EchoGrpcHostFixture : IAsyncLifetime, IEchoTarget
{
    private EchoGrpcHost? _host;

    public Uri Address => _host?.Address ?? throw new InvalidOperationException("The host has not started.");

    public GrpcChannel Channel { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _host = await EchoGrpcHost.StartAsync();
        Channel = GrpcChannel.ForAddress(_host.Address);
    }

    public async Task DisposeAsync()
    {
        Channel?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
