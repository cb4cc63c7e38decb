namespace P2PMesh.FloodBench.Results;

/// <summary>Client-side times of the runs of a (N, TTL), in milliseconds: median, 90th and 95th percentiles (nearest rank), min, max.</summary>
internal sealed record Timing(double P50, double P90, double P95, double Min, double Max, int Count)
{
    /// <summary>The summary of <paramref name="times"/>; <c>null</c> when there are none.</summary>
    public static Timing? Of(IEnumerable<TimeSpan> times)
    {
        var ms = times.Select(t => t.TotalMilliseconds).Order().ToArray();
        return ms.Length == 0
            ? null
            : new Timing(Round(Percentile(ms, 0.5)), Round(Percentile(ms, 0.9)), Round(Percentile(ms, 0.95)), Round(ms[0]), Round(ms[^1]), ms.Length);
    }

    /// <summary>Nearest-rank percentile of sorted values: the smallest value with at least <paramref name="p"/> of them at or below it.</summary>
    private static double Percentile(double[] sorted, double p) => sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static double Round(double ms) => Math.Round(ms, 2);
}
