using P2PMesh.Core.Transfers;
using P2PMesh.Core.Transfers.Download;

namespace P2PMesh.PServer.Tests.Transfers.Download;

/// <summary>
/// Single-source downloads between real PServers on loopback: sizes around the chunk boundary, names,
/// failures, and argument checks.
/// </summary>
public sealed class DownloadManagerTests
{
    private const int Chunk = TestContent.ChunkSize;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(Chunk - 1)]
    [InlineData(Chunk)]
    [InlineData(Chunk + 1)]
    [InlineData(3 * Chunk + 12345)]
    public async Task Start_OneSource_FileLandsInShareByteIdenticalAndIndexed(int size)
    {
        // Arrange
        var content = TestContent.RandomBytes(size, seed: size);
        var sha = TestContent.Sha256(content);
        await using var source = await TestPeers.StartWithFileAsync("dir/payload.bin", content);
        await using var downloader = await TestPeers.StartAsync();

        // Act
        var job = downloader.Downloads().Start(sha, [source.PeerAddress]);
        var result = await job.FinishedAsync();

        // Assert
        Assert.Equal(DownloadState.Completed, result.State);
        Assert.Equal("payload.bin", result.FileName);
        Assert.Equal(size, result.Size);
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Join(downloader.ShareDirectory, "payload.bin")));
        var indexed = downloader.Index().FindBySha256(sha);
        Assert.NotNull(indexed);
        Assert.Equal("payload.bin", indexed.Name);
        Assert.Equal(TestContent.ManifestOf(content, "payload.bin"), ManifestMapper.ToManifest(indexed));
        Assert.Equal(0, downloader.Index().FilesHashed);   // the index took the hashes the download verified
        var progress = job.Snapshot();
        Assert.Equal(DownloadState.Completed, progress.State);
        Assert.False(progress.AlreadyShared);
        Assert.Equal(size, progress.TotalBytes);
        Assert.Equal(size, progress.BytesDone);
        Assert.Equal(size, progress.BytesFetched);
        Assert.Equal((size + Chunk - 1) / Chunk, progress.ChunksTotal);
        Assert.Equal(progress.ChunksTotal, progress.ChunksDone);
        Assert.Equal(progress.ChunksTotal, Assert.Single(progress.Sources).ChunksServed);
        Assert.NotNull(progress.FinishedAt);
        Assert.Empty(Directory.EnumerateFileSystemEntries(downloader.DownloadsDirectory()));
    }

    [Theory]
    [InlineData(4096)]
    [InlineData(3 * 1024 * 1024)]
    public async Task Start_IndexChunkSizeDiffersFromManifest_IndexedWithOwnChunkHashesWithoutRehashing(int chunkSize)
    {
        // Arrange
        var content = TestContent.RandomBytes((2 * Chunk) + 777, seed: 7);
        var sha = TestContent.Sha256(content);
        await using var source = await TestPeers.StartWithFileAsync("payload.bin", content);
        await using var downloader = await TestPeers.StartAsync($"--Content:ChunkSize={chunkSize}");

        // Act
        var result = await downloader.Downloads().Start(sha, [source.PeerAddress]).FinishedAsync();

        // Assert
        Assert.Equal(DownloadState.Completed, result.State);
        var indexed = downloader.Index().FindBySha256(sha);
        Assert.NotNull(indexed);
        Assert.Equal(TestContent.ManifestOf(content, "payload.bin", chunkSize), ManifestMapper.ToManifest(indexed));
        Assert.Equal(0, downloader.Index().FilesHashed);
    }

    [Fact]
    public async Task Start_NameGiven_StoresUnderThatName()
    {
        var content = TestContent.RandomBytes(5000, seed: 1);
        await using var source = await TestPeers.StartWithFileAsync("original.txt", content);
        await using var downloader = await TestPeers.StartAsync();

        var result = await downloader.Downloads().Start(TestContent.Sha256(content), [source.PeerAddress], "renamed.dat").FinishedAsync();

        Assert.Equal(DownloadState.Completed, result.State);
        Assert.Equal("renamed.dat", result.FileName);
        Assert.Equal(["renamed.dat"], downloader.ShareFiles());
    }

    [Fact]
    public async Task Start_NameTakenByOtherContent_AddsNumberBeforeExtension()
    {
        var content = TestContent.RandomBytes(3000, seed: 2);
        var other = TestContent.RandomBytes(3000, seed: 3);
        await using var source = await TestPeers.StartWithFileAsync("report.pdf", content);
        await using var downloader = await TestPeers.StartAsync();
        await downloader.AddFileAsync("report.pdf", other);

        var result = await downloader.Downloads().Start(TestContent.Sha256(content), [source.PeerAddress]).FinishedAsync();

        Assert.Equal("report (1).pdf", result.FileName);
        Assert.Equal(other, await File.ReadAllBytesAsync(Path.Join(downloader.ShareDirectory, "report.pdf")));
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Join(downloader.ShareDirectory, "report (1).pdf")));
    }

    [Fact]
    public async Task Start_ContentAlreadyShared_CompletesWithoutCallingSources()
    {
        var content = TestContent.RandomBytes(4000, seed: 4);
        await using var downloader = await TestPeers.StartAsync();
        await downloader.AddFileAsync("mine.bin", content);

        var job = downloader.Downloads().Start(TestContent.Sha256(content), [TestPeers.DeadAddress()]);
        var result = await job.FinishedAsync();

        Assert.Equal(DownloadState.Completed, result.State);
        Assert.Equal("mine.bin", result.FileName);
        Assert.True(job.Snapshot().AlreadyShared);
        Assert.Null(Assert.Single(job.Snapshot().Sources).DroppedReason);
    }

    [Fact]
    public async Task Start_SameHashWhileRunning_ReturnsRunningJob()
    {
        var content = TestContent.RandomBytes(4 * Chunk, seed: 5);
        var sha = TestContent.Sha256(content);
        await using var source = await TestPeers.StartWithFileAsync("slow.bin", content, TestPeers.SlowReadChunks(TimeSpan.FromMilliseconds(100)));
        await using var downloader = await TestPeers.StartAsync("--Downloads:MaxInFlightPerSource=1");
        var downloads = downloader.Downloads();

        var first = downloads.Start(sha, [source.PeerAddress]);
        var second = downloads.Start(sha.ToUpperInvariant(), [source.PeerAddress, TestPeers.DeadAddress()]);

        Assert.Same(first, second);
        Assert.Same(first, downloads.Get(first.Id));
        Assert.Contains(first, downloads.Jobs);
        Assert.Equal(DownloadState.Completed, (await first.FinishedAsync()).State);
        Assert.False(downloads.Cancel(first.Id));
        Assert.Null(downloads.Get(Guid.NewGuid()));
    }

    [Fact]
    public async Task Start_UnknownHashAndDeadSource_FailsWithEachReasonAndLeavesNothing()
    {
        var sha = TestContent.Sha256(TestContent.RandomBytes(100, seed: 6));
        await using var holderOfOtherThings = await TestPeers.StartWithFileAsync("other.bin", TestContent.RandomBytes(100, seed: 7));
        await using var downloader = await TestPeers.StartAsync();
        var dead = TestPeers.DeadAddress();

        var job = downloader.Downloads().Start(sha, [holderOfOtherThings.PeerAddress, dead]);
        var result = await job.FinishedAsync();

        Assert.Equal(DownloadState.Failed, result.State);
        Assert.Null(result.FileName);
        Assert.Contains("no source gave a usable manifest", result.Error);
        Assert.Contains($"{holderOfOtherThings.PeerAddress}: GetManifest failed: NotFound", result.Error);
        Assert.Contains($"{dead}: GetManifest failed: Unavailable", result.Error);
        var progress = job.Snapshot();
        Assert.Equal(DownloadState.Failed, progress.State);
        Assert.Equal(result.Error, progress.Error);
        Assert.All(progress.Sources, s => Assert.NotNull(s.DroppedReason));
        Assert.Empty(downloader.ShareFiles());
        Assert.False(Directory.Exists(downloader.DownloadsDirectory()) && Directory.EnumerateFileSystemEntries(downloader.DownloadsDirectory()).Any());
    }

    [Fact]
    public async Task Cancel_UnknownJob_ReturnsFalse()
    {
        await using var downloader = await TestPeers.StartAsync();

        Assert.False(downloader.Downloads().Cancel(Guid.NewGuid()));
    }

    public static TheoryData<string?, string[]?, string?> InvalidStarts => new()
    {
        { null, ["127.0.0.1:7000"], null },
        { "", ["127.0.0.1:7000"], null },
        { "not-a-hash", ["127.0.0.1:7000"], null },
        { new string('a', 63), ["127.0.0.1:7000"], null },
        { new string('a', 65), ["127.0.0.1:7000"], null },
        { new string('g', 64), ["127.0.0.1:7000"], null },
        { new string('a', 64), null, null },
        { new string('a', 64), [], null },
        { new string('a', 64), ["nohost"], null },
        { new string('a', 64), ["127.0.0.1:0"], null },
        { new string('a', 64), ["127.0.0.1:70000"], null },
        { new string('a', 64), ["127.0.0.1:7000", ""], null },
        { new string('a', 64), ["::1:7000"], null },
        { new string('a', 64), ["127.0.0.1:7000"], "../escape" },
        { new string('a', 64), ["127.0.0.1:7000"], ".." },
        { new string('a', 64), ["127.0.0.1:7000"], "a/b" },
        { new string('a', 64), ["127.0.0.1:7000"], "" },
        { new string('a', 64), ["127.0.0.1:7000"], ".p2pmesh" },
    };

    [Theory]
    [MemberData(nameof(InvalidStarts))]
    public async Task Start_InvalidArguments_ThrowsArgumentExceptionAndStartsNothing(string? sha256, string[]? sources, string? name)
    {
        await using var downloader = await TestPeers.StartAsync();
        var downloads = downloader.Downloads();

        Assert.ThrowsAny<ArgumentException>(() => downloads.Start(sha256!, sources!, name));
        Assert.Empty(downloads.Jobs);
    }

    [Fact]
    public async Task Start_TooManySources_Throws()
    {
        await using var downloader = await TestPeers.StartAsync();
        var sources = Enumerable.Range(1, DownloadManager.MaxSources + 1).Select(i => $"127.0.0.1:{i}").ToArray();

        var error = Assert.Throws<ArgumentException>(() => downloader.Downloads().Start(new string('a', 64), sources));

        Assert.Equal("sources", error.ParamName);
    }
}
