using P2PMesh.PServer.Tests.Mesh;

namespace P2PMesh.PClientApi.Tests;

/// <summary>A class fixture: one PServer (default settings) and a PClient-API in front of it, sharing its share.</summary>
public sealed class OnePeerApi : IAsyncLifetime
{
    public TestMesh Mesh { get; private set; } = null!;

    public ApiHost Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Mesh = await TestMesh.StartAsync(1);
        Api = await ApiHost.StartAsync(Mesh[0].PeerAddress, $"--Content:ShareDirectory={Mesh[0].ShareDirectory}");
    }

    public async Task DisposeAsync()
    {
        await Api.DisposeAsync();
        await Mesh.DisposeAsync();
    }
}
