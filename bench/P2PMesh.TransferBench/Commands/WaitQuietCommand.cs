using System.Diagnostics;
using P2PMesh.Bench.Shared;

namespace P2PMesh.TransferBench.Commands;

/// <summary>
/// <c>wait-quiet</c>: waits (at most <c>--max-s</c>) until the processes other than this one and the
/// watched ones use less than <c>--threshold</c> cores over a 1 s sample, so that a measurement does not
/// start in the middle of someone else's build. Prints how long it waited and whether it got quiet.
/// </summary>
internal static class WaitQuietCommand
{
    public static async Task<int> RunAsync(CommandArgs args)
    {
        var max = TimeSpan.FromSeconds(args.Double("max-s", 60));
        var threshold = args.Double("threshold", 0.3);
        var watched = args.Pids("watch-pids");
        var clock = Stopwatch.StartNew();
        double other;
        bool quiet;
        while (true)
        {
            var start = CpuSample.Take(watched);
            await Task.Delay(1000);
            other = CpuSample.Take(watched).Since(start).OtherCores;
            quiet = other < threshold;
            if (quiet || clock.Elapsed >= max)
            {
                break;
            }
        }
        Console.WriteLine(Json.Serialize(new
        {
            kind = "quiet",
            id = args.Optional("id"),
            waited_s = Math.Round(clock.Elapsed.TotalSeconds, 1),
            quiet,
            other_cores = Math.Round(other, 2),
            threshold,
            load = ProcStats.LoadAverage(),
        }));
        return 0;
    }
}
