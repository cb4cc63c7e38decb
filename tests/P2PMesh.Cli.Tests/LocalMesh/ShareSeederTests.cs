using P2PMesh.Cli.LocalMesh;

namespace P2PMesh.Cli.Tests.LocalMesh;

public sealed class ShareSeederTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("p2pmesh-cli-seed-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Seed_RoundRobinInPathOrder_EveryThirdFileAlsoOnTheNextPeer()
    {
        var source = Path.Combine(_root, "src");
        string[] names = ["a.bin", "b.bin", "c.bin", "d.bin", "e.bin", "f.bin", Path.Combine("sub", "g.txt")];
        foreach (var name in names)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(source, name))!);
            File.WriteAllText(Path.Combine(source, name), name);
        }
        File.WriteAllText(Path.Combine(source, ".hidden"), "skipped");
        var shares = Enumerable.Range(0, 3).Select(i => Path.Combine(_root, $"share{i}")).ToList();

        var received = ShareSeeder.Seed(source, shares);

        // k: 0 a→0, 1 b→1, 2 c→2+0, 3 d→0, 4 e→1, 5 f→2+0, 6 sub/g→0.
        Assert.Equal(["a.bin", "c.bin", "d.bin", "f.bin", Path.Combine("sub", "g.txt")], received[0]);
        Assert.Equal(["b.bin", "e.bin"], received[1]);
        Assert.Equal(["c.bin", "f.bin"], received[2]);
        Assert.Equal(Path.Combine("sub", "g.txt"), File.ReadAllText(Path.Combine(shares[0], "sub", "g.txt")));
        Assert.False(File.Exists(Path.Combine(shares[0], ".hidden")));
    }

    [Fact]
    public void Seed_OnePeer_GetsEverythingOnce()
    {
        var source = Path.Combine(_root, "src");
        Directory.CreateDirectory(source);
        for (var i = 0; i < 4; i++)
        {
            File.WriteAllText(Path.Combine(source, $"{i}.txt"), "x");
        }

        var received = ShareSeeder.Seed(source, [Path.Combine(_root, "only")]);

        Assert.Equal(4, Assert.Single(received).Count);
    }
}
