using P2PMesh.PServer.Tests.Mesh;
using P2PMesh.PServer.Tests.Search;

namespace P2PMesh.PClientApi.Tests;

/// <summary>
/// For the search modes (docs/architecture.md, Search modes): a fake directory, a real two-peer line p0 — p1 whose p0 uses
/// that directory (<c>Directory:Address</c>), p1 holding <see cref="Content"/> as <c>&lt;name&gt;</c>, and a real PClient-API in
/// front of p0. The directory lists p1's copy under another name (<c>indexed-</c> prefix), so its answers are told from a
/// flood's. Disposing stops everything.
/// </summary>
public sealed class DirectoryMesh : IAsyncDisposable
{
    private DirectoryMesh(FakeDirectoryHost directory, TestMesh mesh, ApiHost api, byte[] content)
    {
        Directory = directory;
        Mesh = mesh;
        Api = api;
        Content = content;
    }

    public FakeDirectoryHost Directory { get; }

    public TestMesh Mesh { get; }

    public ApiHost Api { get; }

    public byte[] Content { get; }

    /// <summary>Starts it all; p1 shares <paramref name="content"/> as <paramref name="name"/>, the directory knows it as <c>indexed-</c><paramref name="name"/>.</summary>
    public static async Task<DirectoryMesh> StartAsync(string name, byte[] content)
    {
        var directory = await FakeDirectoryHost.StartAsync();
        TestMesh? mesh = null;
        try
        {
            mesh = await TestMesh.StartAsync(2, i => i == 0 ? [$"--Directory:Address={directory.Address}"] : []);
            await mesh.ConnectAsync(Topology.Line(2));
            await mesh[1].AddFileAsync(name, content);
            var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));
            directory.Hits = [FakeDirectoryHost.HitOf("p1", mesh[1].PeerAddress, "indexed-" + name, sha)];
            var api = await ApiHost.StartAsync(mesh[0].PeerAddress, $"--Content:ShareDirectory={mesh[0].ShareDirectory}");
            return new DirectoryMesh(directory, mesh, api, content);
        }
        catch
        {
            if (mesh is not null)
            {
                await mesh.DisposeAsync();
            }
            await directory.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Api.DisposeAsync();
        await Mesh.DisposeAsync();
        await Directory.DisposeAsync();
    }
}
