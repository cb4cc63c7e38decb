using System.Diagnostics;

namespace P2PMesh.Core.Tests.Content;

public sealed class ContentIndexSymlinkTests : IDisposable
{
    private readonly TempShare _share = new();

    public void Dispose() => _share.Dispose();

    [Fact]
    public async Task RescanAsync_LinkToFileOutsideShare_NotIndexed()
    {
        // Arrange
        var secret = _share.WriteOutside("secret.txt", [1, 2, 3]);
        File.CreateSymbolicLink(_share.PathOf("absolute-link"), secret);
        File.CreateSymbolicLink(_share.PathOf("relative-link"), Path.Join("..", "outside", "secret.txt"));
        _share.Write("ok.txt", [4]);
        var index = _share.CreateIndex();

        // Act
        await index.RescanAsync();

        // Assert
        Assert.Equal("ok.txt", Assert.Single(index.Files).Name);
    }

    [Fact]
    public async Task RescanAsync_LinkedDirectoryPointingOutside_NotIndexed()
    {
        // Arrange
        _share.WriteOutside("tree/a.txt", [1]);
        _share.WriteOutside("tree/sub/b.txt", [2]);
        Directory.CreateSymbolicLink(_share.PathOf("linked-dir"), Path.Join(_share.Outside, "tree"));
        var index = _share.CreateIndex();

        // Act
        await index.RescanAsync();

        // Assert
        Assert.Empty(index.Files);
    }

    [Fact]
    public async Task RescanAsync_LinkToFileInsideShare_IndexedUnderLinkName()
    {
        // Arrange
        var bytes = TempShare.RandomBytes(5000, seed: 7);
        _share.Write("real/data.bin", bytes);
        File.CreateSymbolicLink(_share.PathOf("alias.bin"), Path.Join("real", "data.bin"));
        var index = _share.CreateIndex();

        // Act
        await index.RescanAsync();

        // Assert
        Assert.Equal(["alias.bin", "real/data.bin"], index.Files.Select(f => f.Name));
        ContentIndexHashingTests.AssertManifest(index.Files.First(), bytes, 4096);
        Assert.Equal(2, index.Search(P2PMesh.Contracts.SearchPattern.Parse("sha256:" + index.Files.First().Sha256)).Count);
    }

    [Fact]
    public async Task RescanAsync_LinkChainThatEndsOutside_NotIndexed()
    {
        // Arrange: in-share link -> in-share directory link -> outside.
        _share.WriteOutside("secret.txt", [1]);
        Directory.CreateSymbolicLink(_share.PathOf("hop"), _share.Outside);
        File.CreateSymbolicLink(_share.PathOf("innocent.txt"), Path.Join("hop", "secret.txt"));
        var index = _share.CreateIndex();

        // Act
        await index.RescanAsync();

        // Assert
        Assert.Empty(index.Files);
    }

    [Fact]
    public async Task RescanAsync_LinkIntoStateDirectory_NotIndexed()
    {
        // Arrange
        _share.Write("a.txt", [1]);
        var index = _share.CreateIndex();
        await index.RescanAsync();
        File.CreateSymbolicLink(_share.PathOf("cache.json"), Path.Join(".p2pmesh", "index.json"));

        // Act
        await index.RescanAsync();

        // Assert
        Assert.Equal("a.txt", Assert.Single(index.Files).Name);
    }

    [Fact]
    public async Task RescanAsync_LinkLoopAndDanglingLink_SkippedWithoutFailing()
    {
        // Arrange
        File.CreateSymbolicLink(_share.PathOf("loop-a"), "loop-b");
        File.CreateSymbolicLink(_share.PathOf("loop-b"), "loop-a");
        File.CreateSymbolicLink(_share.PathOf("dangling"), "nothing-here");
        Directory.CreateSymbolicLink(_share.PathOf("self"), ".");
        _share.Write("ok.txt", [1]);
        var index = _share.CreateIndex();

        // Act
        await index.RescanAsync();

        // Assert
        Assert.Equal("ok.txt", Assert.Single(index.Files).Name);
    }

    [Fact]
    public async Task RescanAsync_ShareDirectoryIsItselfALink_IndexesItsTarget()
    {
        // Arrange
        _share.Write("a.txt", [1]);
        var alias = Path.Join(_share.Root, "share-alias");
        Directory.CreateSymbolicLink(alias, _share.Share);
        var index = TempShare.CreateIndex(new() { ShareDirectory = alias });

        // Act
        await index.RescanAsync();

        // Assert
        var file = Assert.Single(index.Files);
        Assert.Equal("a.txt", file.Name);
        Assert.True(index.TryResolvePath(file, out var path));
        Assert.Equal(_share.PathOf("a.txt"), path);
    }

    [Fact]
    public async Task RescanAsync_FifoInShare_DoesNotBlock()
    {
        // Arrange
        if (OperatingSystem.IsWindows() || !TryMkfifo(_share.PathOf("pipe")))
        {
            return; // No FIFOs here.
        }
        _share.Write("ok.txt", [1]);
        var index = _share.CreateIndex();

        // Act
        await index.RescanAsync().WaitAsync(TimeSpan.FromSeconds(10));

        // Assert: a FIFO looks like an empty file; it is never opened.
        Assert.Contains(index.Files, f => f.Name == "ok.txt");
        Assert.All(index.Files.Where(f => f.Name == "pipe"), f => Assert.Equal(0, f.Size));
    }

    private static bool TryMkfifo(string path)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false });
            process!.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
