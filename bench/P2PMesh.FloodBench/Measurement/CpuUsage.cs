namespace P2PMesh.FloodBench.Measurement;

/// <summary>
/// CPU used while a (N, TTL) was measured, in cores (CPU seconds per wall second): this process (every
/// peer and the client) and every other process on the machine (from /proc/stat). Other load of
/// <see cref="Results.FloodCell.DisturbedOtherCores"/> or more means the timings shared the CPUs with other work.
/// </summary>
internal sealed record CpuUsage(double BenchCores, double OtherCores, double WallSeconds);
