using System.Globalization;

namespace P2PMesh.Bench.Shared;

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
