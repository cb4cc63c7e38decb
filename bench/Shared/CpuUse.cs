namespace P2PMesh.Bench.Shared;

/// <summary>
/// Average cores over a window: this process, the watched processes, interrupt context (irq + softirq,
/// charged to no process: loopback TCP receive work shows here), the whole machine, and everything
/// else (other processes: someone else's work).
/// </summary>
internal sealed record CpuUse(double WallSeconds, double SelfCores, double WatchedCores, double InterruptCores, double MachineCores, double OtherCores);
