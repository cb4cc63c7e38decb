using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using P2PMesh.Core.Peers;
using P2PMesh.Core.Transfers.Download;
using P2PMesh.Core.Transfers.Download.Internal;

namespace P2PMesh.PServer.Tests.Transfers.Download;

/// <summary>
/// A download cancelled part-way and started again by a new <see cref="DownloadManager"/> over the same
/// state directory (a process restart): only the missing chunks are fetched, and recorded chunks that
/// no longer verify on disk are fetched again.
/// </summary>
public sealed class ResumeDownloadTests
{
    private const int Chunks = 40;

    [Fact]
    public async Task Start_AfterCancelAndRestart_FetchesOnlyMissingChunks()
    {
        await using var setup = await HalfDoneAsync(seed: 40);

        var progress = await setup.RestartToCompletionAsync();

        Assert.Equal(setup.ChunksDoneBefore, progress.ChunksResumed);
        Assert.Equal(Chunks - setup.ChunksDoneBefore, progress.Sources.Sum(s => s.ChunksServed));
        Assert.Equal((long)(Chunks - setup.ChunksDoneBefore) * TestContent.ChunkSize, progress.BytesFetched);
        Assert.Equal(setup.Content.Length, progress.BytesDone);
        Assert.Empty(Directory.EnumerateFileSystemEntries(setup.Downloader.DownloadsDirectory()));
    }

    [Fact]
    public async Task Start_AfterRestartWithCorruptedCompletedChunk_RefetchesThatChunk()
    {
        await using var setup = await HalfDoneAsync(seed: 41);
        var state = await DownloadStateStore.LoadAsync(setup.StatePath, CancellationToken.None);
        var completed = ChunkBitmap.FromBase64(state!.Completed, Chunks)!;
        Assert.Equal(setup.ChunksDoneBefore, completed.SetCount);
        var victim = completed.SetIndices().Skip(completed.SetCount / 2).First();
        await using (var part = new FileStream(setup.PartPath, FileMode.Open, FileAccess.ReadWrite))
        {
            part.Position = (long)victim * TestContent.ChunkSize + 4321;
            var original = part.ReadByte();
            part.Position--;
            part.WriteByte((byte)(original ^ 0x01));
        }

        var progress = await setup.RestartToCompletionAsync();

        Assert.Equal(setup.ChunksDoneBefore - 1, progress.ChunksResumed);
        Assert.Equal(Chunks - setup.ChunksDoneBefore + 1, progress.Sources.Sum(s => s.ChunksServed));
    }

    [Fact]
    public async Task Cancel_Running_KeepsPartAndStateAndNothingInShare()
    {
        await using var setup = await HalfDoneAsync(seed: 42);

        Assert.True(File.Exists(setup.PartPath));
        Assert.True(File.Exists(setup.StatePath));
        Assert.Equal(setup.Content.Length, new FileInfo(setup.PartPath).Length);
        Assert.Empty(setup.Downloader.ShareFiles());
        Assert.Null(setup.Downloader.Index().FindBySha256(setup.Sha256));
    }

    [Fact]
    public async Task Start_OnlySourceDiesMidway_FailsKeepingStateThenResumesFromAnotherSource()
    {
        // Arrange
        var content = TestContent.RandomBytes(Chunks * TestContent.ChunkSize, seed: 43);
        var sha = TestContent.Sha256(content);
        await using var dying = await TestPeers.StartWithFileAsync("resume.bin", content, TestPeers.SlowReadChunks(TimeSpan.FromMilliseconds(25)));
        await using var downloader = await TestPeers.StartAsync("--Downloads:MaxInFlightPerSource=1");
        var first = downloader.Downloads().Start(sha, [dying.PeerAddress]);
        await TestContent.WaitUntilAsync(() => first.Snapshot().ChunksDone >= 5, TimeSpan.FromSeconds(30), "5 chunks");

        // Act
        await dying.KillAsync();
        var failed = await first.FinishedAsync();
        var doneBefore = first.Snapshot().ChunksDone;
        await using var other = await TestPeers.StartWithFileAsync("elsewhere.bin", content);
        var second = downloader.Downloads().Start(sha, [other.PeerAddress]);
        var result = await second.FinishedAsync();

        // Assert
        Assert.Equal(DownloadState.Failed, failed.State);
        Assert.Contains("every source was dropped before all chunks arrived", failed.Error);
        Assert.Contains($"{dying.PeerAddress}: ReadChunks failed", failed.Error);
        Assert.Equal(DownloadState.Completed, result.State);
        Assert.Equal("elsewhere.bin", result.FileName);
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Join(downloader.ShareDirectory, "elsewhere.bin")));
        Assert.Equal(doneBefore, second.Snapshot().ChunksResumed);
        Assert.Equal(Chunks - doneBefore, second.Snapshot().Sources.Sum(s => s.ChunksServed));
    }

    [Fact]
    public async Task DisposeAsync_RunningJob_CancelsAndKeepsStateForTheNextInstance()
    {
        // Arrange
        var content = TestContent.RandomBytes(Chunks * TestContent.ChunkSize, seed: 44);
        var sha = TestContent.Sha256(content);
        await using var source = await TestPeers.StartWithFileAsync("resume.bin", content, TestPeers.SlowReadChunks(TimeSpan.FromMilliseconds(25)));
        await using var downloader = await TestPeers.StartAsync();
        var manager = NewManager(downloader, new DownloadOptions { MaxInFlightPerSource = 1 });
        var job = manager.Start(sha, [source.PeerAddress]);
        await TestContent.WaitUntilAsync(() => job.Snapshot().ChunksDone >= 3, TimeSpan.FromSeconds(30), "3 chunks");

        // Act
        await manager.DisposeAsync();

        // Assert
        Assert.True(job.Completion.IsCompleted);
        Assert.Equal(DownloadState.Cancelled, (await job.Completion).State);
        Assert.Throws<ObjectDisposedException>(() => manager.Start(sha, [source.PeerAddress]));
        var state = await DownloadStateStore.LoadAsync(Path.Join(downloader.DownloadsDirectory(), $"{sha}.state"), CancellationToken.None);
        Assert.Equal(job.Snapshot().ChunksDone, ChunkBitmap.FromBase64(state!.Completed, Chunks)!.SetCount);
        await using var next = NewManager(downloader, new DownloadOptions());
        var resumed = next.Start(sha, [source.PeerAddress]);
        Assert.Equal(DownloadState.Completed, (await resumed.FinishedAsync()).State);
        Assert.Equal(job.Snapshot().ChunksDone, resumed.Snapshot().ChunksResumed);
    }

    /// <summary>A fresh manager over the downloader's share and state directory: what a restarted process would build.</summary>
    private static DownloadManager NewManager(PServerHost downloader, DownloadOptions options) => new(
        downloader.Index(),
        downloader.Services.GetRequiredService<PeerChannelPool>(),
        Options.Create(options),
        TimeProvider.System,
        NullLogger<DownloadManager>.Instance);

    /// <summary>
    /// A 40-chunk file on a slow source, downloaded one chunk at a time and cancelled once at least 40%
    /// of the chunks are done.
    /// </summary>
    private static async Task<HalfDone> HalfDoneAsync(int seed)
    {
        var content = TestContent.RandomBytes(Chunks * TestContent.ChunkSize, seed);
        var sha = TestContent.Sha256(content);
        var source = await TestPeers.StartWithFileAsync("resume.bin", content, TestPeers.SlowReadChunks(TimeSpan.FromMilliseconds(25)));
        PServerHost? downloader = null;
        try
        {
            downloader = await TestPeers.StartAsync("--Downloads:MaxInFlightPerSource=1");
            var downloads = downloader.Downloads();
            var job = downloads.Start(sha, [source.PeerAddress]);
            await TestContent.WaitUntilAsync(() => job.Snapshot().ChunksDone >= Chunks * 4 / 10, TimeSpan.FromSeconds(30), "40% of the chunks");
            Assert.True(downloads.Cancel(job.Id));
            var result = await job.FinishedAsync();
            Assert.Equal(DownloadState.Cancelled, result.State);
            var done = job.Snapshot().ChunksDone;
            Assert.InRange(done, Chunks * 4 / 10, Chunks - 1);
            Assert.Equal(DownloadState.Cancelled, job.Snapshot().State);
            return new HalfDone(source, downloader, content, sha, done);
        }
        catch
        {
            if (downloader is not null)
            {
                await downloader.DisposeAsync();
            }
            await source.DisposeAsync();
            throw;
        }
    }

    private sealed record HalfDone(PServerHost Source, PServerHost Downloader, byte[] Content, string Sha256, int ChunksDoneBefore) : IAsyncDisposable
    {
        public string PartPath => Path.Join(Downloader.DownloadsDirectory(), $"{Sha256}.part");

        public string StatePath => Path.Join(Downloader.DownloadsDirectory(), $"{Sha256}.state");

        /// <summary>Starts the same hash on a new manager (a restarted process), checks it completes with the right bytes, and returns its final progress.</summary>
        public async Task<DownloadProgress> RestartToCompletionAsync()
        {
            await using var restarted = NewManager(Downloader, new DownloadOptions());
            var job = restarted.Start(Sha256, [Source.PeerAddress]);
            var result = await job.FinishedAsync();

            Assert.Equal(DownloadState.Completed, result.State);
            Assert.Equal(Content, await File.ReadAllBytesAsync(Path.Join(Downloader.ShareDirectory, "resume.bin")));
            return job.Snapshot();
        }

        public async ValueTask DisposeAsync()
        {
            await Downloader.DisposeAsync();
            await Source.DisposeAsync();
        }
    }
}
