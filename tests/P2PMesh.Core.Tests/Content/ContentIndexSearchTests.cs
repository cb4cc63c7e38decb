using System.Security.Cryptography;
using P2PMesh.Contracts;

namespace P2PMesh.Core.Tests.Content;

public sealed class ContentIndexSearchTests : IDisposable
{
    private readonly TempShare _share = new();

    public void Dispose() => _share.Dispose();

    [Fact]
    public async Task Search_Glob_ReturnsMatchesSortedByName()
    {
        // Arrange
        _share.Write("b/Ubuntu.ISO", [1]);
        _share.Write("a/debian.iso", [2]);
        _share.Write("notes.txt", [3]);
        var index = _share.CreateIndex();
        await index.RescanAsync();

        // Act
        var hits = index.Search(SearchPattern.Parse("*.iso"));

        // Assert
        Assert.Equal(["a/debian.iso", "b/Ubuntu.ISO"], hits.Select(f => f.Name));
    }

    [Fact]
    public async Task Search_Sha256_ReturnsEveryFileWithThatContent()
    {
        // Arrange
        _share.Write("one.bin", [7, 7]);
        _share.Write("copy/one.bin", [7, 7]);
        _share.Write("other.bin", [8]);
        var index = _share.CreateIndex();
        await index.RescanAsync();
        var hash = Convert.ToHexString(SHA256.HashData([7, 7]));

        // Act
        var hits = index.Search(SearchPattern.Parse("sha256:" + hash));

        // Assert
        Assert.Equal(["copy/one.bin", "one.bin"], hits.Select(f => f.Name));
        Assert.Empty(index.Search(SearchPattern.Parse("sha256:" + new string('a', 64))));
    }

    [Fact]
    public async Task FindBySha256_AnyCase_FindsFile()
    {
        // Arrange
        _share.Write("x.bin", [1, 2]);
        var index = _share.CreateIndex();
        await index.RescanAsync();
        var hash = Convert.ToHexStringLower(SHA256.HashData([1, 2]));

        // Act + Assert
        Assert.Equal("x.bin", index.FindBySha256(hash)?.Name);
        Assert.Equal("x.bin", index.FindBySha256(hash.ToUpperInvariant())?.Name);
        Assert.Null(index.FindBySha256(new string('0', 64)));
        Assert.Null(index.FindBySha256("not a hash"));
    }

    [Fact]
    public void Search_BeforeFirstScan_Empty()
    {
        var index = _share.CreateIndex();

        Assert.Empty(index.Search(SearchPattern.Parse("*")));
        Assert.Empty(index.Files);
        Assert.Equal(0, index.Version);
    }
}
