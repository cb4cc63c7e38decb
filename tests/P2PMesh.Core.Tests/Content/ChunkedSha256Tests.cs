using System.Security.Cryptography;
using P2PMesh.Core.Content.Internal;

namespace P2PMesh.Core.Tests.Content;

public sealed class ChunkedSha256Tests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(4096, 1)]
    [InlineData(4096, 4095)]
    [InlineData(4096, 4097)]
    [InlineData(10_000, 333)]
    [InlineData(12_288, 12_288)]
    public void Append_AnyPieceSizes_SameAsHashingEachChunkSlice(int length, int piece)
    {
        // Arrange
        const int chunkSize = 4096;
        var bytes = TempShare.RandomBytes(length, seed: length + piece);
        using var hasher = new ChunkedSha256(chunkSize, length);

        // Act
        foreach (var part in bytes.Chunk(piece))
        {
            hasher.Append(part);
        }
        var (sha256, chunks) = hasher.Complete();

        // Assert
        Assert.Equal(length, hasher.Length);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), sha256);
        Assert.Equal(bytes.Chunk(chunkSize).Select(c => Convert.ToHexStringLower(SHA256.HashData(c))), chunks);
    }
}
