using System.Security.Cryptography;
using System.Text;
using P2PMesh.PClientApi.Tests;
using P2PMesh.PServer.Tests.Mesh;

namespace P2PMesh.Cli.Tests.Commands;

/// <summary>
/// A real 3-peer ring (p0, p1, p2) in-process, with a PClient-API in front of p0 sharing p0's share, and
/// a few files: p0 holds notes.txt, p1 holds distro.iso and big.bin, p2 holds a copy of distro.iso and photo.jpg.
/// </summary>
public sealed class MeshFixture : IAsyncLifetime
{
    public static readonly byte[] Iso = RandomNumberGenerator.GetBytes(2 * 1024 * 1024 + 777);
    public static readonly byte[] Photo = RandomNumberGenerator.GetBytes(70_000);
    public static readonly byte[] Notes = Encoding.UTF8.GetBytes("remember the milk");
    public static readonly byte[] Big = RandomNumberGenerator.GetBytes(24 * 1024 * 1024);

    public TestMesh Mesh { get; private set; } = null!;

    public ApiHost Api { get; private set; } = null!;

    /// <summary>The API's base address, for <c>--api</c>.</summary>
    public string ApiUrl => Api.Client.BaseAddress!.ToString();

    public static string Sha(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    public async Task InitializeAsync()
    {
        Mesh = await TestMesh.StartAsync(3);
        await Mesh.ConnectAsync(Topology.Ring(3));
        await Mesh[0].AddFileAsync("notes.txt", Notes);
        await Mesh[1].AddFileAsync("distro.iso", Iso);
        await Mesh[2].AddFileAsync("copy-of-distro.iso", Iso);
        await Mesh[2].AddFileAsync("photo.jpg", Photo);
        await Mesh[1].AddFileAsync("big.bin", Big);
        Api = await ApiHost.StartAsync(Mesh[0].PeerAddress, $"--Content:ShareDirectory={Mesh[0].ShareDirectory}");
    }

    public async Task DisposeAsync()
    {
        await Api.DisposeAsync();
        await Mesh.DisposeAsync();
    }
}
