using System.Runtime.InteropServices;
using System.Text.Json;
using P2PMesh.FloodBench;
using P2PMesh.Bench.Shared;
using P2PMesh.FloodBench.Modes;
using P2PMesh.FloodBench.Results;
using Grpc.Core;

// The flood-search benchmark of bench/ (bench/README.md, "Flood search: cost and latency"). For each
// N it starts N PServers in this process, links them into a random d-regular graph and times searches
// at each TTL against the breadth-first prediction. Prints one JSON line per (N, TTL) on stdout,
// progress on stderr, and with --results replaces the flood-bench block of that markdown file.
// With --modes flood,directory,mom it instead compares the search modes on one mesh (bench/README.md,
// "Search modes side by side"; bench/flood-run.sh --modes flood,directory,mom): one JSON line per mode, the modes-bench block.
//
//   bench/flood-run.sh [--quick]          (builds Release, runs this, writes bench/RESULTS.md)
//   dotnet bench/P2PMesh.FloodBench/bin/Release/net10.0/P2PMesh.FloodBench.dll
//       [--quick] [--sizes 10,50,100,200] [--ttls 3,5,7] [--degree 4] [--origins 4] [--runs R]
//       [--warmup 5] [--explained 5] [--holders 0.1] [--quiet-wait 20]
//       [--results bench/RESULTS.md] [--command TEXT]
//       [--modes flood,directory,mom [--mom-deadline 500]]   (then N = 100, TTL 7, 20 rounds unless given)
//
// Defaults and meanings: FloodBenchOptions.cs. --runs defaults to 60 for N <= 50 and 40 above
// (10 with --quick, which also means N = 10, 50 and 2 explained runs).

var options = FloodBenchOptions.Parse(args);
using var stop = new CancellationTokenSource();
// Ctrl-C, timeout(1) and kill: stop between searches and dispose every peer (and its temporary share).
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

var json = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
var machine = await MachineInfo.CollectAsync(stop.Token);
if (options.Modes is not null)
{
    return await CompareModesAsync();
}
var runner = new FloodBenchRunner(options, Console.Error);
var cells = new List<FloodCell>();
var lines = new List<string>();
try
{
    foreach (var peers in options.Sizes)
    {
        foreach (var cell in await runner.RunAsync(peers, stop.Token))
        {
            var line = JsonSerializer.Serialize(cell, json);
            Console.WriteLine(line);
            cells.Add(cell);
            lines.Add(line);
        }
    }
}
catch (Exception ex) when (stop.IsCancellationRequested && ex is OperationCanceledException or RpcException)
{
    Console.Error.WriteLine("interrupted: every peer stopped, nothing written");
    return 130;
}

if (options.ResultsPath is not null)
{
    await ResultsSection.Block.WriteIntoAsync(options.ResultsPath, ResultsSection.Render(machine, options, cells, lines), stop.Token);
    Console.Error.WriteLine($"wrote the flood-bench block of {options.ResultsPath}");
}
return cells.Any(c => c.FailedRuns > 0 || !c.LinksIntact) ? 1 : 0;

async Task<int> CompareModesAsync()
{
    var loadBefore = LoadAverage();
    SearchModesReport report;
    try
    {
        report = await new SearchModesRunner(options, Console.Error).RunAsync(stop.Token);
    }
    catch (Exception ex) when (stop.IsCancellationRequested && ex is OperationCanceledException or RpcException)
    {
        Console.Error.WriteLine("interrupted: the broker, the directory and every peer stopped, nothing written");
        return 130;
    }
    var lines = report.Rows.Select(r => JsonSerializer.Serialize(r, json)).ToList();
    lines.ForEach(Console.WriteLine);
    if (options.ResultsPath is not null)
    {
        await SearchModesSection.Block.WriteIntoAsync(options.ResultsPath, SearchModesSection.Render(machine, options, report, loadBefore, LoadAverage(), lines), stop.Token);
        Console.Error.WriteLine($"wrote the modes-bench block of {options.ResultsPath}");
    }
    return report.Rows.Any(r => r.FailedRuns > 0) || !report.LinksIntact ? 1 : 0;
}

static string LoadAverage() => string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}
