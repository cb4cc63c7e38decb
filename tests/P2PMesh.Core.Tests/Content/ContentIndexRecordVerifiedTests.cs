using System.Security.Cryptography;

namespace P2PMesh.Core.Tests.Content;

/// <summary>
/// <c>RecordVerifiedAsync</c>: hashes a caller has already verified are reused by the next scan, but only
/// while the file is unchanged since; and <c>FindBySha256Async</c>.
/// </summary>
public sealed class ContentIndexRecordVerifiedTests : IDisposable
{
    private const int ChunkSize = 4096;
    private readonly TempShare _share = new();

    public void Dispose() => _share.Dispose();

    [Fact]
    public async Task RecordVerifiedAsync_UnchangedFile_RescanIndexesItWithoutHashingAndPersistsIt()
    {
        // Arrange
        var index = _share.CreateIndex(ChunkSize);
        await index.RescanAsync();
        var bytes = TempShare.RandomBytes((2 * ChunkSize) + 100, seed: 1);
        var path = _share.Write("new.bin", bytes);
        var (sha256, chunks) = Hashes(bytes);

        // Act
        var recorded = await index.RecordVerifiedAsync("new.bin", bytes.Length, File.GetLastWriteTimeUtc(path), sha256, chunks, CancellationToken.None);
        await index.RescanAsync();

        // Assert
        Assert.True(recorded);
        ContentIndexHashingTests.AssertManifest(Assert.Single(index.Files), bytes, ChunkSize);
        Assert.Equal(0, index.FilesHashed);
        var restarted = _share.CreateIndex(ChunkSize);
        await restarted.RescanAsync();
        Assert.Equal(index.Files, restarted.Files);
        Assert.Equal(0, restarted.FilesHashed);
    }

    [Fact]
    public async Task RecordVerifiedAsync_FileWrittenSinceVerification_NotRecordedAndRehashed()
    {
        // Arrange
        var index = _share.CreateIndex(ChunkSize);
        var verified = TempShare.RandomBytes(ChunkSize + 1, seed: 2);
        var path = _share.Write("file.bin", verified);
        var verifiedAt = File.GetLastWriteTimeUtc(path);
        var (sha256, chunks) = Hashes(verified);
        var written = TempShare.RandomBytes(ChunkSize + 1, seed: 3);
        File.WriteAllBytes(path, written);
        File.SetLastWriteTimeUtc(path, verifiedAt.AddSeconds(5));

        // Act
        var recorded = await index.RecordVerifiedAsync("file.bin", verified.Length, verifiedAt, sha256, chunks, CancellationToken.None);
        await index.RescanAsync();

        // Assert
        Assert.False(recorded);
        ContentIndexHashingTests.AssertManifest(Assert.Single(index.Files), written, ChunkSize);
        Assert.Equal(1, index.FilesHashed);
    }

    [Fact]
    public async Task RecordVerifiedAsync_FileWrittenAfterRecording_RescanHashesItAgain()
    {
        // Arrange
        var index = _share.CreateIndex(ChunkSize);
        var verified = TempShare.RandomBytes(3 * ChunkSize, seed: 4);
        var path = _share.Write("file.bin", verified);
        var (sha256, chunks) = Hashes(verified);
        Assert.True(await index.RecordVerifiedAsync("file.bin", verified.Length, File.GetLastWriteTimeUtc(path), sha256, chunks, CancellationToken.None));

        // Act
        var written = TempShare.RandomBytes(3 * ChunkSize, seed: 5);
        File.WriteAllBytes(path, written);
        File.SetLastWriteTimeUtc(path, File.GetLastWriteTimeUtc(path).AddSeconds(5));
        await index.RescanAsync();

        // Assert
        ContentIndexHashingTests.AssertManifest(Assert.Single(index.Files), written, ChunkSize);
        Assert.Equal(1, index.FilesHashed);
    }

    [Theory]
    [InlineData("../outside.bin")]
    [InlineData("/etc/passwd")]
    [InlineData("a//b")]
    public async Task RecordVerifiedAsync_NameNotInShare_Throws(string name)
    {
        var index = _share.CreateIndex(ChunkSize);
        await Assert.ThrowsAsync<ArgumentException>(() =>
            index.RecordVerifiedAsync(name, 0, DateTime.UtcNow, Convert.ToHexStringLower(SHA256.HashData([])), [], CancellationToken.None));
    }

    [Fact]
    public async Task RecordVerifiedAsync_ChunkCountDoesNotFitSize_Throws()
    {
        var index = _share.CreateIndex(ChunkSize);
        var path = _share.Write("file.bin", new byte[ChunkSize + 1]);
        var (sha256, chunks) = Hashes(new byte[ChunkSize]);
        await Assert.ThrowsAsync<ArgumentException>(() =>
            index.RecordVerifiedAsync("file.bin", ChunkSize + 1, File.GetLastWriteTimeUtc(path), sha256, chunks, CancellationToken.None));
    }

    [Fact]
    public async Task FindBySha256Async_FileAddedSinceLastScan_RescansOnceAndFindsIt()
    {
        // Arrange
        var index = _share.CreateIndex(ChunkSize);
        await index.RescanAsync();
        var bytes = TempShare.RandomBytes(100, seed: 6);
        _share.Write("late.bin", bytes);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));

        // Act
        var found = await index.FindBySha256Async(sha256);
        var again = await index.FindBySha256Async(sha256.ToUpperInvariant());
        var missing = await index.FindBySha256Async(new string('0', 64));

        // Assert
        Assert.Equal("late.bin", found?.Name);
        Assert.Same(found, again);
        Assert.Null(missing);
        Assert.Equal(1, index.FilesHashed);
    }

    private static (string Sha256, string[] Chunks) Hashes(byte[] bytes) =>
        (Convert.ToHexStringLower(SHA256.HashData(bytes)), [.. bytes.Chunk(ChunkSize).Select(c => Convert.ToHexStringLower(SHA256.HashData(c)))]);
}
