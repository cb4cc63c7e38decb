using P2PMesh.Core.Content;

namespace P2PMesh.Core.Tests.Content;

public sealed class ContentIndexPathTests : IDisposable
{
    private readonly TempShare _share = new();

    public void Dispose() => _share.Dispose();

    [Fact]
    public async Task OpenRead_IndexedFile_ReadsItsBytes()
    {
        // Arrange
        var bytes = TempShare.RandomBytes(6000, seed: 1);
        _share.Write("dir/file.bin", bytes);
        var index = _share.CreateIndex();
        await index.RescanAsync();
        var file = Assert.Single(index.Files);

        // Act
        using var stream = index.OpenRead(file);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);

        // Assert
        Assert.Equal(bytes, copy.ToArray());
        Assert.True(index.TryResolvePath(file, out var path));
        Assert.Equal(_share.PathOf("dir/file.bin"), path);
    }

    [Theory]
    [InlineData("../outside/secret.txt")]
    [InlineData("dir/../../outside/secret.txt")]
    [InlineData("./secret.txt")]
    [InlineData("dir//secret.txt")]
    [InlineData("/etc/passwd")]
    [InlineData("")]
    public async Task TryResolvePath_HandMadeNameEscapingOrMalformed_Refused(string name)
    {
        // Arrange
        var secret = _share.WriteOutside("secret.txt", [1, 2, 3]);
        _share.Write("dir/secret.txt", [1, 2, 3]);
        var index = _share.CreateIndex();
        await index.RescanAsync();
        var sha256 = index.Files.Single().Sha256;
        var forged = new ContentFile(name, 3, sha256, 4096, [sha256], DateTime.UtcNow);
        var absolute = forged with { Name = secret };

        // Act + Assert
        Assert.False(index.TryResolvePath(forged, out var path));
        Assert.Null(path);
        Assert.False(index.TryResolvePath(absolute, out _));
        Assert.Throws<FileNotFoundException>(() => index.OpenRead(forged));
        Assert.Throws<FileNotFoundException>(() => index.OpenRead(absolute));
    }

    [Fact]
    public async Task OpenRead_FileReplacedByLinkOutsideAfterIndexing_Refused()
    {
        // Arrange
        var bytes = new byte[] { 1, 2, 3 };
        var path = _share.Write("file.txt", bytes);
        var secret = _share.WriteOutside("secret.txt", bytes);
        var index = _share.CreateIndex();
        await index.RescanAsync();
        var file = Assert.Single(index.Files);

        // Act
        File.Delete(path);
        File.CreateSymbolicLink(path, secret);

        // Assert
        Assert.False(index.TryResolvePath(file, out _));
        Assert.Throws<FileNotFoundException>(() => index.OpenRead(file));
    }

    [Fact]
    public async Task OpenRead_ParentDirectoryReplacedByLinkOutsideAfterIndexing_Refused()
    {
        // Arrange
        var bytes = new byte[] { 1, 2, 3 };
        _share.Write("dir/file.txt", bytes);
        _share.WriteOutside("dir/file.txt", bytes);
        var index = _share.CreateIndex();
        await index.RescanAsync();
        var file = Assert.Single(index.Files);

        // Act
        Directory.Delete(_share.PathOf("dir"), recursive: true);
        Directory.CreateSymbolicLink(_share.PathOf("dir"), Path.Join(_share.Outside, "dir"));

        // Assert
        Assert.False(index.TryResolvePath(file, out _));
        Assert.Throws<FileNotFoundException>(() => index.OpenRead(file));
    }

    [Fact]
    public async Task OpenRead_UnknownHashOrRemovedFile_Refused()
    {
        // Arrange
        var path = _share.Write("file.txt", [1]);
        var index = _share.CreateIndex();
        await index.RescanAsync();
        var file = Assert.Single(index.Files);

        // Act + Assert
        Assert.Throws<FileNotFoundException>(() => index.OpenRead(file with { Sha256 = new string('0', 64) }));
        File.Delete(path);
        Assert.False(index.TryResolvePath(file, out _));
        Assert.Throws<FileNotFoundException>(() => index.OpenRead(file));
    }

    [Fact]
    public async Task TryResolvePath_StateDirectoryFile_Refused()
    {
        // Arrange
        _share.Write("a.txt", [1]);
        var index = _share.CreateIndex();
        await index.RescanAsync();
        var file = Assert.Single(index.Files) with { Name = ".p2pmesh/index.json" };

        // Act + Assert
        Assert.False(index.TryResolvePath(file, out _));
    }
}
