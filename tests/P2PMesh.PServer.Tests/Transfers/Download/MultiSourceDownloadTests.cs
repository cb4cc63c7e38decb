using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using P2PMesh.Core.Transfers.Download;
using Xunit.Abstractions;

namespace P2PMesh.PServer.Tests.Transfers.Download;

/// <summary>Downloads spread over several real PServers: a large file, and a source that crashes mid-transfer.</summary>
public sealed class MultiSourceDownloadTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Start_256MiBOnThreeSources_ByteIdenticalAndEverySourceServed()
    {
        // Arrange: the file is written once in 1 MiB blocks and copied to the other two shares.
        const long size = 256L * 1024 * 1024 + 777;
        const string name = "big.bin";
        await using var a = await TestPeers.StartAsync();
        await using var b = await TestPeers.StartAsync();
        await using var c = await TestPeers.StartAsync();
        await using var downloader = await TestPeers.StartAsync();
        var sha = await TestContent.WriteRandomFileAsync(Path.Join(a.ShareDirectory, name), size, seed: 256);
        File.Copy(Path.Join(a.ShareDirectory, name), Path.Join(b.ShareDirectory, name));
        File.Copy(Path.Join(a.ShareDirectory, name), Path.Join(c.ShareDirectory, name));
        await Task.WhenAll(a.Index().RescanAsync(), b.Index().RescanAsync(), c.Index().RescanAsync());
        var sources = new[] { a.PeerAddress, b.PeerAddress, c.PeerAddress };

        // Act
        var clock = Stopwatch.StartNew();
        var job = downloader.Downloads().Start(sha, sources);
        var observedRunning = false;
        while (!job.Completion.IsCompleted)
        {
            var running = job.Snapshot();
            observedRunning |= running is { State: DownloadState.Running, BytesDone: > 0, RateBytesPerSecond: > 0 };
            await Task.WhenAny(job.Completion, Task.Delay(50));
        }
        var result = await job.FinishedAsync(120);
        var elapsed = clock.Elapsed;

        // Assert
        Assert.Equal(DownloadState.Completed, result.State);
        var stored = Path.Join(downloader.ShareDirectory, name);
        Assert.Equal(size, new FileInfo(stored).Length);
        Assert.Equal(sha, await TestContent.Sha256OfFileAsync(stored));
        Assert.NotNull(downloader.Index().FindBySha256(sha));
        var progress = job.Snapshot();
        Assert.True(observedRunning, "progress was never seen mid-transfer");
        Assert.Equal(size, progress.BytesFetched);
        Assert.Equal(257, progress.ChunksTotal);
        Assert.Equal(sources, progress.Sources.Select(s => s.Address));
        Assert.All(progress.Sources, s =>
        {
            Assert.Null(s.DroppedReason);
            Assert.True(s.ChunksServed > 0, $"{s.Address} served no chunks");
        });
        Assert.Equal(257, progress.Sources.Sum(s => s.ChunksServed));
        Assert.Equal(size, progress.Sources.Sum(s => s.BytesServed));
        output.WriteLine($"{size} bytes in {elapsed.TotalSeconds:F1} s; per source: {string.Join(", ", progress.Sources.Select(s => s.ChunksServed))}; " +
            $"managed heap after: {GC.GetTotalMemory(false) / (1024 * 1024)} MiB; testhost peak working set: {Environment.WorkingSet / (1024 * 1024)} MiB now, {System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MiB peak");
    }

    [Fact]
    public async Task Start_SourceCrashesMidTransfer_CompletesFromOthersAndReportsDrop()
    {
        // Arrange: the victim serves its first chunk, then holds every later call open until it dies,
        // so the download cannot finish without noticing the crash.
        var content = TestContent.RandomBytes(24 * TestContent.ChunkSize, seed: 24);
        var sha = TestContent.Sha256(content);
        var stalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var victimCalls = 0;
        void Stall(WebApplication app) => app.Use(async (context, next) =>
        {
            if (context.Request.Path == TestPeers.ReadChunksPath && Interlocked.Increment(ref victimCalls) > 1)
            {
                stalled.TrySetResult();
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            await next(context);
        });
        await using var first = await TestPeers.StartWithFileAsync("data.bin", content);
        await using var victim = await TestPeers.StartWithFileAsync("data.bin", content, Stall);
        await using var third = await TestPeers.StartWithFileAsync("data.bin", content);
        await using var downloader = await TestPeers.StartAsync("--Downloads:MaxInFlightPerSource=2", "--Downloads:ChunkTimeout=00:00:20");

        // Act
        var job = downloader.Downloads().Start(sha, [first.PeerAddress, victim.PeerAddress, third.PeerAddress]);
        await stalled.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await TestContent.WaitUntilAsync(() => job.Snapshot().Sources[1].ChunksServed >= 1, TimeSpan.FromSeconds(30), "the victim's first chunk");
        Assert.False(job.Completion.IsCompleted);
        await victim.KillAsync();
        var result = await job.FinishedAsync();

        // Assert
        Assert.Equal(DownloadState.Completed, result.State);
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Join(downloader.ShareDirectory, "data.bin")));
        var progress = job.Snapshot();
        Assert.Null(progress.Sources[0].DroppedReason);
        Assert.Null(progress.Sources[2].DroppedReason);
        var dropped = progress.Sources[1];
        Assert.NotNull(dropped.DroppedReason);
        Assert.StartsWith("ReadChunks failed for chunk", dropped.DroppedReason);
        Assert.True(dropped.ChunksServed >= 1);
        Assert.Equal(24, progress.Sources.Sum(s => s.ChunksServed));
        output.WriteLine($"victim dropped: {dropped.DroppedReason}");
    }
}
