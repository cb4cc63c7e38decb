using System.Diagnostics;
using System.Globalization;

namespace P2PMesh.TransferBench.Measurement;

/// <summary>Linux /proc readings: memory high-water marks, CPU times and the load average.</summary>
internal static class ProcStats
{
    /// <summary>USER_HZ: the unit of CPU times in /proc (100 on every Linux architecture .NET runs on).</summary>
    public const double ClockTicksPerSecond = 100;

    /// <summary>A <c>Vm…</c> field of <c>/proc/&lt;pid&gt;/status</c> in KiB (VmHWM = peak RSS, VmRSS = RSS now); <c>null</c> if unreadable.</summary>
    public static long? StatusKib(string pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(field + ":", StringComparison.Ordinal))
                {
                    var value = line[(field.Length + 1)..].Trim();
                    var space = value.IndexOf(' ', StringComparison.Ordinal);
                    return long.Parse(space < 0 ? value : value[..space], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }
        return null;
    }

    /// <summary>
    /// CPU seconds since boot the whole machine spent busy (user, nice, system, irq, softirq, steal), and
    /// of those in interrupt context (irq, softirq: e.g. loopback TCP receive processing, charged to no process).
    /// </summary>
    public static (double Busy, double Interrupts) MachineBusySeconds()
    {
        var fields = File.ReadLines("/proc/stat").First(l => l.StartsWith("cpu ", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long Field(int i) => long.Parse(fields[i], CultureInfo.InvariantCulture);
        var interrupts = Field(6) + Field(7);
        return ((Field(1) + Field(2) + Field(3) + interrupts + Field(8)) / ClockTicksPerSecond, interrupts / ClockTicksPerSecond);
    }

    /// <summary>User + system CPU seconds of process <paramref name="pid"/>; 0 if it has gone.</summary>
    public static double ProcessCpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) may hold spaces and parentheses: fields restart after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / ClockTicksPerSecond;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    public static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}");

    /// <summary>The three load averages of /proc/loadavg, e.g. "1.02 0.88 0.61".</summary>
    public static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
}

/// <summary>CPU counters at one instant: the machine's, this process's and some watched processes'.</summary>
internal readonly record struct CpuSample(long Timestamp, double Machine, double Interrupts, double Self, double Watched)
{
    public static CpuSample Take(IReadOnlyList<int> watched)
    {
        using var self = Process.GetCurrentProcess();
        var (busy, interrupts) = ProcStats.MachineBusySeconds();
        return new CpuSample(
            Stopwatch.GetTimestamp(),
            busy,
            interrupts,
            self.TotalProcessorTime.TotalSeconds,
            watched.Sum(ProcStats.ProcessCpuSeconds));
    }

    /// <summary>Average cores used from <paramref name="start"/> to this sample.</summary>
    public CpuUse Since(CpuSample start)
    {
        var wall = Stopwatch.GetElapsedTime(start.Timestamp, Timestamp).TotalSeconds;
        if (wall <= 0)
        {
            return new CpuUse(0, 0, 0, 0, 0, 0);
        }
        var machine = (Machine - start.Machine) / wall;
        var interrupts = (Interrupts - start.Interrupts) / wall;
        var self = (Self - start.Self) / wall;
        var watched = (Watched - start.Watched) / wall;
        return new CpuUse(Math.Round(wall, 3), Math.Round(self, 3), Math.Round(watched, 3), Math.Round(interrupts, 3), Math.Round(machine, 3),
            Math.Round(Math.Max(0, machine - self - watched - interrupts), 3));
    }
}

/// <summary>
/// Average cores over a window: this process, the watched processes, interrupt context (irq + softirq,
/// charged to no process: loopback TCP receive work shows here), the whole machine, and everything
/// else (other processes: someone else's work).
/// </summary>
internal sealed record CpuUse(double WallSeconds, double SelfCores, double WatchedCores, double InterruptCores, double MachineCores, double OtherCores);
