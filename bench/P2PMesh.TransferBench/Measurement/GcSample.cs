using System.Diagnostics;

namespace P2PMesh.TransferBench.Measurement;

/// <summary>This process's managed-heap and CPU-mode counters at one instant.</summary>
internal readonly record struct GcSample(long Allocated, int Gen0, int Gen1, int Gen2, TimeSpan Pause, TimeSpan User, TimeSpan System)
{
    public static GcSample Take()
    {
        using var self = Process.GetCurrentProcess();
        return new GcSample(
            GC.GetTotalAllocatedBytes(precise: true),
            GC.CollectionCount(0),
            GC.CollectionCount(1),
            GC.CollectionCount(2),
            GC.GetTotalPauseDuration(),
            self.UserProcessorTime,
            self.PrivilegedProcessorTime);
    }

    /// <summary>What happened from <paramref name="start"/> to this sample, with allocations per byte of <paramref name="bytes"/>.</summary>
    public GcUse Since(GcSample start, long bytes)
    {
        var allocated = Allocated - start.Allocated;
        return new GcUse(
            allocated,
            bytes > 0 ? Math.Round((double)allocated / bytes, 3) : 0,
            Gen0 - start.Gen0,
            Gen1 - start.Gen1,
            Gen2 - start.Gen2,
            Math.Round((Pause - start.Pause).TotalMilliseconds, 1),
            Math.Round((User - start.User).TotalSeconds, 3),
            Math.Round((System - start.System).TotalSeconds, 3));
    }
}

/// <summary>
/// Managed allocations (bytes, and per byte downloaded), collections per generation (a gen-2 count
/// includes the gen-1 and gen-0 it implies only in its own column), total GC pause, and the process's
/// user and kernel CPU seconds over a window.
/// </summary>
internal sealed record GcUse(long AllocatedBytes, double AllocatedPerByte, int Gen0, int Gen1, int Gen2, double PauseMs, double UserCpuS, double SystemCpuS);
