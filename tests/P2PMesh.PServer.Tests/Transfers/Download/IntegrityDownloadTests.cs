using P2PMesh.Core.Transfers.Download;
using P2PMesh.V1;

namespace P2PMesh.PServer.Tests.Transfers.Download;

/// <summary>
/// Sources that lie: a fake peer spoiling chunks or sending a dishonest manifest, next to an honest
/// real PServer. Every byte in the share must still be the requested content.
/// </summary>
public sealed class IntegrityDownloadTests
{
    private const int Chunks = 8;

    [Theory]
    [InlineData(FakeCorruption.FlipByte, "with SHA-256")]
    [InlineData(FakeCorruption.ShortChunk, "of the 1048576 bytes of chunk")]
    [InlineData(FakeCorruption.WrongOffset, "expected offset")]
    [InlineData(FakeCorruption.ExtraByte, "sent more than the 1048576 bytes")]
    public async Task Start_SourceSpoilsChunks_DroppedAndChunksRefetchedFromHonestSource(FakeCorruption corruption, string reason)
    {
        // Arrange: the corrupting source answers the manifest honestly and is asked first.
        var content = TestContent.RandomBytes(Chunks * TestContent.ChunkSize, seed: 11);
        var sha = TestContent.Sha256(content);
        var behavior = new FakePeerBehavior(TestContent.ManifestOf(content, "file.bin"), content) { Corruption = corruption };
        await using var corrupt = await FakePeerHost.StartAsync(behavior);
        await using var honest = await TestPeers.StartWithFileAsync("file.bin", content);
        await using var downloader = await TestPeers.StartAsync();

        // Act
        var job = downloader.Downloads().Start(sha, [corrupt.PeerAddress, honest.PeerAddress]);
        var result = await job.FinishedAsync();

        // Assert
        Assert.Equal(DownloadState.Completed, result.State);
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Join(downloader.ShareDirectory, "file.bin")));
        var progress = job.Snapshot();
        Assert.True(behavior.ReadCalls >= 2, "the corrupting source was never asked for a spoiled chunk");
        Assert.Contains(reason, progress.Sources[0].DroppedReason);
        Assert.True(progress.Sources[0].ManifestSource);
        Assert.Null(progress.Sources[1].DroppedReason);
        Assert.Equal(Chunks, progress.Sources.Sum(s => s.ChunksServed));
        Assert.True(progress.Sources[1].ChunksServed > 0);
    }

    public enum DishonestManifest
    {
        /// <summary>Chunk hashes of other bytes of the same size, and those bytes served: only the whole-file hash exposes it.</summary>
        OtherContentServed,

        /// <summary>Random chunk hashes: no source can serve a chunk that matches.</summary>
        RandomChunkHashes,

        /// <summary>One chunk hash missing.</summary>
        MissingChunkHash,

        /// <summary>Another file's SHA-256.</summary>
        WrongSha256,

        /// <summary>Claims the file is empty.</summary>
        ClaimsEmpty,

        /// <summary>A chunk hash that is not hex.</summary>
        MalformedChunkHash,

        /// <summary>Twice the real size (with matching hash count): the honest source answers OUT_OF_RANGE.</summary>
        TooLarge,
    }

    [Theory]
    [InlineData(DishonestManifest.OtherContentServed, "its manifest was dishonest: its chunks make a file whose SHA-256 is")]
    [InlineData(DishonestManifest.RandomChunkHashes, "its manifest was dishonest: no source sent chunks that match it")]
    [InlineData(DishonestManifest.MissingChunkHash, "sent a malformed manifest: it lists 7 chunk hashes")]
    [InlineData(DishonestManifest.WrongSha256, "sent a malformed manifest: it is for sha256")]
    [InlineData(DishonestManifest.ClaimsEmpty, "sent a malformed manifest: it says the file is empty")]
    [InlineData(DishonestManifest.MalformedChunkHash, "sent a malformed manifest: chunk hash 3 is not 64 hex digits")]
    [InlineData(DishonestManifest.TooLarge, "its manifest was dishonest")]
    public async Task Start_DishonestManifestFirst_DiscardedAndCompletesFromHonestSource(DishonestManifest kind, string reason)
    {
        // Arrange
        var content = TestContent.RandomBytes(Chunks * TestContent.ChunkSize, seed: 12);
        var sha = TestContent.Sha256(content);
        var (manifest, served) = Dishonest(kind, content);
        var behavior = new FakePeerBehavior(manifest, served);
        await using var liar = await FakePeerHost.StartAsync(behavior);
        await using var honest = await TestPeers.StartWithFileAsync("file.bin", content);
        await using var downloader = await TestPeers.StartAsync();

        // Act
        var job = downloader.Downloads().Start(sha, [liar.PeerAddress, honest.PeerAddress]);
        var result = await job.FinishedAsync();

        // Assert
        Assert.True(result.State == DownloadState.Completed, result.Error);
        Assert.Equal("file.bin", result.FileName);
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Join(downloader.ShareDirectory, "file.bin")));
        Assert.Equal(["file.bin"], downloader.ShareFiles());
        var progress = job.Snapshot();
        Assert.Contains(reason, progress.Sources[0].DroppedReason);
        Assert.False(progress.Sources[0].ManifestSource);
        Assert.Null(progress.Sources[1].DroppedReason);
        Assert.True(progress.Sources[1].ManifestSource);
        Assert.Equal(0, progress.ChunksResumed);
        Assert.True(progress.Sources[1].ChunksServed >= Chunks);
        Assert.Empty(Directory.EnumerateFileSystemEntries(downloader.DownloadsDirectory()));
    }

    private static (Manifest Manifest, byte[] Served) Dishonest(DishonestManifest kind, byte[] content)
    {
        var honest = TestContent.ManifestOf(content, "file.bin");
        switch (kind)
        {
            case DishonestManifest.OtherContentServed:
                var other = TestContent.RandomBytes(content.Length, seed: 99);
                var fake = TestContent.ManifestOf(other, "file.bin");
                fake.Sha256 = honest.Sha256;
                return (fake, other);
            case DishonestManifest.RandomChunkHashes:
                var random = honest.Clone();
                random.ChunkSha256.Clear();
                random.ChunkSha256.AddRange(Enumerable.Range(0, Chunks).Select(i => TestContent.Sha256(BitConverter.GetBytes(i))));
                return (random, content);
            case DishonestManifest.MissingChunkHash:
                var missing = honest.Clone();
                missing.ChunkSha256.RemoveAt(Chunks - 1);
                return (missing, content);
            case DishonestManifest.WrongSha256:
                var wrong = honest.Clone();
                wrong.Sha256 = TestContent.Sha256([1, 2, 3]);
                return (wrong, content);
            case DishonestManifest.ClaimsEmpty:
                var empty = honest.Clone();
                empty.Size = 0;
                empty.ChunkSha256.Clear();
                return (empty, content);
            case DishonestManifest.MalformedChunkHash:
                var malformed = honest.Clone();
                malformed.ChunkSha256[3] = new string('z', 64);
                return (malformed, content);
            default:
                var large = TestContent.ManifestOf([.. content, .. content], "file.bin");
                large.Sha256 = honest.Sha256;
                return (large, content);
        }
    }
}
