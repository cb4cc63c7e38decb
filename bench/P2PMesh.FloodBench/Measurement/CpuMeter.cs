using System.Diagnostics;
using P2PMesh.Bench.Shared;
using P2PMesh.FloodBench.Results;

namespace P2PMesh.FloodBench.Measurement;

/// <summary>Measures <see cref="CpuUsage"/> from its creation to <see cref="Stop"/>, from the shared /proc counters (<see cref="CpuSample"/>).</summary>
internal sealed class CpuMeter
{
    private readonly CpuSample _started = CpuSample.Take([]);

    /// <summary>
    /// Waits, in one-second windows, until other processes use less than <paramref name="maxOtherCores"/>
    /// (so that a row is not timed during someone's build), for at most <paramref name="limit"/>.
    /// Returns how long it waited; if the machine never got quiet, the row's <see cref="CpuUsage.OtherCores"/> shows it.
    /// </summary>
    public static async Task<TimeSpan> WaitForQuietAsync(double maxOtherCores, TimeSpan limit, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < limit)
        {
            var window = new CpuMeter();
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            if (window.Stop().OtherCores < maxOtherCores)
            {
                break;
            }
        }
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>
    /// This process's cores (every peer and the client) and everyone else's: the machine's busy time less
    /// this process's. Interrupt context counts as someone else's, although this process's own loopback
    /// receive work lands there too: the stricter reading for <see cref="FloodCell.Disturbed"/>.
    /// </summary>
    public CpuUsage Stop()
    {
        var use = CpuSample.Take([]).Since(_started);
        return new CpuUsage(Math.Round(use.SelfCores, 2), Math.Round(Math.Max(0, use.MachineCores - use.SelfCores), 2), Math.Round(use.WallSeconds, 1));
    }
}
