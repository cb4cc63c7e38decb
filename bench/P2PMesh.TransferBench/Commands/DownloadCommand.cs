using System.Diagnostics;
using System.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using P2PMesh.Bench.Shared;
using P2PMesh.Core.Content;
using P2PMesh.Core.Transfers.Download;
using P2PMesh.TransferBench.Measurement;

namespace P2PMesh.TransferBench.Commands;

/// <summary>
/// <c>download</c>: one download through the real engine (<see cref="DownloadManager"/>), hosted the way
/// the PClient-API hosts it (a <see cref="ContentIndex"/> scanned only on demand, no watcher), timed by
/// phase from the job's progress snapshots.
/// </summary>
/// <remarks>
/// Phases, from <see cref="DownloadManager.Start"/> (the clock starts just before it):
/// <list type="bullet">
/// <item><b>transfer</b>: until the snapshot's state is first seen as <see cref="DownloadState.Verifying"/>:
/// manifest, every chunk fetched, checked against its SHA-256 and written into the <c>.part</c>;</item>
/// <item><b>final check</b>: until the file is first seen in the share: the whole <c>.part</c> hashed
/// again, fsync'd and renamed into the share;</item>
/// <item><b>re-index</b>: until <see cref="DownloadJob.Completion"/>: the share rescanned, which hashes
/// the new file once more (the index has no entry for it) and writes <c>index.json</c>.</item>
/// </list>
/// The snapshot is polled every <c>--poll-ms</c> (default 25 ms), so a phase boundary is seen up to that
/// late; the end is taken exactly, from a continuation on <see cref="DownloadJob.Completion"/>.
/// </remarks>
internal static class DownloadCommand
{
    public static async Task<int> RunAsync(CommandArgs args)
    {
        var sources = args.List("sources");
        var sha256 = args.Required("sha256");
        var share = Path.GetFullPath(args.Required("share"));
        var state = args.Optional("state") is { } s ? Path.GetFullPath(s) : null;
        var name = args.Optional("name") ?? "transfer-bench.bin";
        var poll = TimeSpan.FromMilliseconds(args.Int("poll-ms", 25, min: 1));
        var watched = args.Pids("watch-pids");
        var timeout = TimeSpan.FromSeconds(args.Int("timeout-s", 1800, min: 1));
        var id = args.Optional("id");
        if (sources.Count == 0)
        {
            throw new ArgumentException("--sources needs at least one host:port");
        }

        var settings = new Dictionary<string, string?>();
        if (args.Optional("in-flight") is { } inFlight)
        {
            settings[$"{DownloadOptions.SectionName}:{nameof(DownloadOptions.MaxInFlightPerSource)}"] = inFlight;
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging
            .SetMinimumLevel(LogLevel.Warning)
            .AddSimpleConsole(o => o.SingleLine = true)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        services.AddOptions<ContentIndexOptions>().Configure(o =>
        {
            o.ShareDirectory = share;
            o.StateDirectory = state;
            o.WatchForChanges = false;
        });
        // As the PClient-API does: the index alone, without its hosted service (no watcher, no timer);
        // the engine rescans it when a download lands.
        services.AddSingleton<ContentIndex>();
        services.AddDownloads(configuration);
        await using var provider = services.BuildServiceProvider();
        var manager = provider.GetRequiredService<DownloadManager>();
        var target = Path.Join(share, name);
        if (File.Exists(target))
        {
            throw new ArgumentException($"{target} exists already: remove it (and the state directory) before a run");
        }

        var loadBefore = ProcStats.LoadAverage();
        var gcStart = GcSample.Take();
        var cpuStart = CpuSample.Take(watched);
        var clock = Stopwatch.StartNew();
        var job = manager.Start(sha256, sources, name);
        TimeSpan? completedAt = null;
        var completion = job.Completion.ContinueWith(t => { completedAt = clock.Elapsed; return t.Result; }, TaskScheduler.Default);
        TimeSpan? verifyingAt = null, inShareAt = null;
        CpuSample? cpuVerifying = null;
        DownloadProgress last = job.Snapshot();
        using (var deadline = new CancellationTokenSource(timeout))
        {
            while (!completion.IsCompleted)
            {
                try
                {
                    await Task.WhenAny(completion, Task.Delay(poll, deadline.Token));
                }
                catch (OperationCanceledException)
                {
                }
                if (deadline.IsCancellationRequested && !completion.IsCompleted)
                {
                    manager.Cancel(job.Id);
                    await completion;
                    break;
                }
                var now = clock.Elapsed;
                last = job.Snapshot();
                if (verifyingAt is null && last.State is DownloadState.Verifying or DownloadState.Completed && last.ChunksDone == last.ChunksTotal)
                {
                    verifyingAt = now;
                    cpuVerifying = CpuSample.Take(watched);
                }
                if (inShareAt is null && verifyingAt is not null && File.Exists(target))
                {
                    inShareAt = now;
                }
            }
        }
        var result = await completion;
        var cpuEnd = CpuSample.Take(watched);
        var gc = GcSample.Take().Since(gcStart, bytes: job.Snapshot().BytesFetched);
        var loadAfter = ProcStats.LoadAverage();
        last = job.Snapshot();
        var total = completedAt ?? clock.Elapsed;
        var bytes = result.Size ?? last.BytesFetched;
        var ok = result.State == DownloadState.Completed && last.BytesFetched == last.TotalBytes && new FileInfo(target) is { Exists: true } file && file.Length == bytes;

        var line = new DownloadLine
        {
            Kind = "download",
            Id = id,
            Sources = sources.Count,
            SourceList = string.Join(',', sources),
            State = result.State.ToString(),
            Error = result.Error ?? (ok ? null : "the file in the share does not have the manifest's size"),
            Bytes = bytes,
            Chunks = last.ChunksTotal,
            Seconds = Round(total.TotalSeconds),
            MibPerS = Mib(bytes, total),
            SecondsTransfer = verifyingAt is { } v ? Round(v.TotalSeconds) : null,
            MibPerSTransfer = verifyingAt is { } v2 ? Mib(bytes, v2) : null,
            SecondsFinalCheck = verifyingAt is { } a && inShareAt is { } b ? Round((b - a).TotalSeconds) : null,
            SecondsReindex = inShareAt is { } c ? Round((total - c).TotalSeconds) : null,
            PollMs = poll.TotalMilliseconds,
            CpuTransfer = cpuVerifying is { } cv ? cv.Since(cpuStart) : null,
            CpuAfterTransfer = cpuVerifying is { } cv2 ? cpuEnd.Since(cv2) : null,
            CpuTotal = cpuEnd.Since(cpuStart),
            WatchedPids = watched.Count,
            Gc = gc,
            PerSource = [.. last.Sources.Select(p => new SourceLine(p.Address, p.BytesServed, p.ChunksServed, p.DroppedReason))],
            PeakRssKib = ProcStats.StatusKib("self", "VmHWM"),
            RssKib = ProcStats.StatusKib("self", "VmRSS"),
            ServerGc = GCSettings.IsServerGC,
            LoadBefore = loadBefore,
            LoadAfter = loadAfter,
        };
        Console.WriteLine(Json.Serialize(line));
        return ok ? 0 : 1;
    }

    private static double Round(double value) => Math.Round(value, 3);

    private static double Mib(long bytes, TimeSpan elapsed) => elapsed > TimeSpan.Zero ? Math.Round(bytes / 1048576.0 / elapsed.TotalSeconds, 1) : 0;
}

internal sealed record SourceLine(string Address, long BytesServed, int ChunksServed, string? DroppedReason);

internal sealed record DownloadLine
{
    public required string Kind { get; init; }
    public string? Id { get; init; }
    public int Sources { get; init; }
    public string? SourceList { get; init; }
    public string? State { get; init; }
    public string? Error { get; init; }
    public long Bytes { get; init; }
    public int? Chunks { get; init; }
    public double Seconds { get; init; }
    public double MibPerS { get; init; }
    public double? SecondsTransfer { get; init; }
    public double? MibPerSTransfer { get; init; }
    public double? SecondsFinalCheck { get; init; }
    public double? SecondsReindex { get; init; }
    public double PollMs { get; init; }
    public CpuUse? CpuTransfer { get; init; }
    public CpuUse? CpuAfterTransfer { get; init; }
    public CpuUse? CpuTotal { get; init; }
    public int WatchedPids { get; init; }
    public GcUse? Gc { get; init; }
    public IReadOnlyList<SourceLine> PerSource { get; init; } = [];
    public long? PeakRssKib { get; init; }
    public long? RssKib { get; init; }
    public bool ServerGc { get; init; }
    public string? LoadBefore { get; init; }
    public string? LoadAfter { get; init; }
}
