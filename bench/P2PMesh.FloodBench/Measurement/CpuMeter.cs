using System.Diagnostics;
using System.Globalization;

namespace P2PMesh.FloodBench.Measurement;

/// <summary>Measures <see cref="CpuUsage"/> from its creation to <see cref="Stop"/>.</summary>
internal sealed class CpuMeter
{
    /// <summary>USER_HZ: the unit of /proc/stat on Linux.</summary>
    private const double TicksPerSecond = 100;

    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly TimeSpan _ownStarted = OwnCpu();
    private readonly double? _machineStarted = MachineBusySeconds();

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
            if (window.Stop().OtherCores is not { } other || other < maxOtherCores)
            {
                break;
            }
        }
        return Stopwatch.GetElapsedTime(started);
    }

    public CpuUsage Stop()
    {
        var wall = Stopwatch.GetElapsedTime(_started).TotalSeconds;
        var own = (OwnCpu() - _ownStarted).TotalSeconds;
        var machine = MachineBusySeconds() - _machineStarted;
        var other = machine is { } busy ? Math.Max(0, busy - own) / wall : (double?)null;
        return new CpuUsage(Math.Round(own / wall, 2), other is { } o ? Math.Round(o, 2) : null, Math.Round(wall, 1));
    }

    private static TimeSpan OwnCpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    /// <summary>Busy CPU seconds of the whole machine since boot (user, nice, system, irq, softirq), or <c>null</c>.</summary>
    private static double? MachineBusySeconds()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // cpu user nice system idle iowait irq softirq steal ... (steal is the hypervisor's, not ours)
            var ticks = fields.Skip(1).Take(7).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            return (ticks.Sum() - ticks[3] - ticks[4]) / TicksPerSecond;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }
}
