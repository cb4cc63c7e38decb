namespace P2PMesh.FloodBench.Results;

/// <summary>One figure over the runs of a (N, TTL): measured (mean, min, max) next to the breadth-first theory for the same origins.</summary>
internal sealed record Comparison(double Mean, int Min, int Max, double TheoryMean, int TheoryMin, int TheoryMax)
{
    public static Comparison Of(IReadOnlyCollection<(int Measured, int Theory)> runs) => runs.Count == 0
        ? new Comparison(double.NaN, 0, 0, double.NaN, 0, 0)
        : new Comparison(
            Math.Round(runs.Average(r => r.Measured), 2), runs.Min(r => r.Measured), runs.Max(r => r.Measured),
            Math.Round(runs.Average(r => r.Theory), 2), runs.Min(r => r.Theory), runs.Max(r => r.Theory));
}
