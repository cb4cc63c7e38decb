namespace P2PMesh.Bootstrap.Tests.Grpc;

/// <summary>One Bootstrap shared by the input-validation cases (they register only well-formed peers).</summary>
public sealed class BootstrapFixture : IAsyncLifetime
{
    private BootstrapHost? _host;

    public BootstrapHost Host => _host ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _host = await BootstrapHost.StartAsync();

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
