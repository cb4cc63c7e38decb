using System.Diagnostics;

namespace P2PMesh.Bench.Shared;

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
