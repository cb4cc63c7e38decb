using System.Security.Cryptography;
using P2PMesh.Core.Content;

namespace P2PMesh.Core.Tests.Content;

public sealed class ContentIndexHashingTests : IDisposable
{
    private const int ChunkSize = 4096;
    private readonly TempShare _share = new();

    public void Dispose() => _share.Dispose();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(ChunkSize - 1)]
    [InlineData(ChunkSize)]
    [InlineData(ChunkSize + 1)]
    [InlineData(ChunkSize * 5 / 2)]
    public async Task RescanAsync_SizesAroundChunkBoundaries_HashesMatchSha256OfBytes(int size)
    {
        // Arrange
        var bytes = TempShare.RandomBytes(size, seed: size);
        _share.Write("file.bin", bytes);
        var index = _share.CreateIndex(ChunkSize);

        // Act
        await index.RescanAsync();

        // Assert
        var file = Assert.Single(index.Files);
        AssertManifest(file, bytes, ChunkSize);
        Assert.Equal(size, index.TotalBytes);
    }

    [Fact]
    public async Task RescanAsync_DefaultChunkSizeOnThreeMiBFile_ChunkHashesMatchSlices()
    {
        // Arrange
        var bytes = TempShare.RandomBytes((3 * 1024 * 1024) + 12345, seed: 3);
        _share.Write("big.iso", bytes);
        var index = TempShare.CreateIndex(new ContentIndexOptions { ShareDirectory = _share.Share });

        // Act
        await index.RescanAsync();

        // Assert
        var file = Assert.Single(index.Files);
        Assert.Equal(ContentIndexOptions.DefaultChunkSize, file.ChunkSize);
        Assert.Equal(4, file.ChunkHashes.Count);
        AssertManifest(file, bytes, ContentIndexOptions.DefaultChunkSize);
    }

    [Fact]
    public async Task RescanAsync_NestedDirectories_NamesAreRelativeWithSlashes()
    {
        // Arrange
        _share.Write("top.txt", [1]);
        _share.Write("a/mid.txt", [2]);
        _share.Write("a/b/c/deep.txt", [3]);
        _share.Write(".hidden/.dotfile", [4]);
        Directory.CreateDirectory(_share.PathOf("empty/dir"));
        var index = _share.CreateIndex();

        // Act
        await index.RescanAsync();

        // Assert
        Assert.Equal([".hidden/.dotfile", "a/b/c/deep.txt", "a/mid.txt", "top.txt"], index.Files.Select(f => f.Name));
        Assert.Equal(4, index.Count);
        Assert.Equal(4, index.TotalBytes);
        Assert.All(index.Files, f => Assert.Equal(f.LastWriteTimeUtc, File.GetLastWriteTimeUtc(_share.PathOf(f.Name))));
    }

    [Fact]
    public async Task Files_AfterScan_SortedByNameOrdinal()
    {
        // Arrange
        foreach (var name in new[] { "b.txt", "A.txt", "a/z.txt", "a.txt" })
        {
            _share.Write(name, [0]);
        }
        var index = _share.CreateIndex();

        // Act
        await index.RescanAsync();

        // Assert
        Assert.Equal(["A.txt", "a.txt", "a/z.txt", "b.txt"], index.Files.Select(f => f.Name));
    }

    internal static void AssertManifest(ContentFile file, byte[] bytes, int chunkSize)
    {
        Assert.Equal(bytes.Length, file.Size);
        Assert.Equal(chunkSize, file.ChunkSize);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), file.Sha256);
        var expected = bytes.Chunk(chunkSize).Select(c => Convert.ToHexStringLower(SHA256.HashData(c))).ToArray();
        Assert.Equal((bytes.Length + chunkSize - 1) / chunkSize, file.ChunkHashes.Count);
        Assert.Equal(expected, file.ChunkHashes);
    }
}
