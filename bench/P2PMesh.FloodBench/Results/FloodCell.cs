using P2PMesh.FloodBench.Measurement;
using P2PMesh.FloodBench.Mesh;
using P2PMesh.PServer.Tests.Mesh;
using P2PMesh.V1;

namespace P2PMesh.FloodBench.Results;

/// <summary>
/// The result of one (N, TTL): the timed searches summarised (one JSON line of the output) next to the
/// breadth-first prediction for the same topology, origins and TTL.
/// </summary>
internal sealed record FloodCell(
    int Peers,
    int Degree,
    int Ttl,
    int Seed,
    int Diameter,
    IReadOnlyList<int> OriginEccentricities,
    int Holders,
    int Runs,
    int FailedRuns,
    IReadOnlyList<string> Failures,
    Comparison PeersReached,
    Comparison Messages,
    Comparison Duplicates,
    Comparison MaxHops,
    Comparison Hits,
    int Errors,
    int DeadlineExceeded,
    int RunsMatchingTheory,
    int RunsAboveTheory,
    int RunsMissingHits,
    int RunsWithHit,
    Timing? FirstHitMs,
    Timing? LastEventMs,
    ExplainedRuns Explained,
    CpuUsage Cpu,
    bool LinksIntact)
{
    /// <summary>Summarises the timed <paramref name="samples"/> and the <paramref name="explained"/> ones of one (N, TTL).</summary>
    public static FloodCell From(
        MeshLayout layout, int ttl, TestMesh mesh, IReadOnlyList<FloodSample> samples, IReadOnlyList<FloodSample> explained, CpuUsage cpu, bool linksIntact)
    {
        var topology = layout.Topology;
        var ok = samples.Where(s => s.Stats is not null).Select(s => (Sample: s, Stats: s.Stats!, Theory: topology.Predict(s.Origin, ttl))).ToList();
        (int, int)[] Pairs(Func<FloodSample, FloodStats, FloodPrediction, (int, int)> pick) => [.. ok.Select(r => pick(r.Sample, r.Stats, r.Theory))];

        var trees = explained.Where(s => s.Stats is not null)
            .Select(s => (Sample: s, Tree: RealisedTree.From(mesh, s.Origin, s.Edges), Theory: topology.Predict(s.Origin, ttl)))
            .ToList();
        var late = trees.Select(t => t.Tree.LateArrivals(t.Theory)).ToList();

        return new FloodCell(
            Peers: layout.Peers,
            Degree: topology.Neighbours(0).Count,
            Ttl: ttl,
            Seed: layout.Seed,
            Diameter: layout.Diameter,
            OriginEccentricities: [.. layout.Origins.Select(topology.Eccentricity)],
            Holders: layout.Holders.Count,
            Runs: samples.Count,
            FailedRuns: samples.Count - ok.Count,
            Failures: [.. samples.Where(s => s.Error is not null).Select(s => s.Error!).Distinct()],
            PeersReached: Comparison.Of(Pairs((_, s, t) => ((int)s.PeersReached, t.Reached.Count))),
            Messages: Comparison.Of(Pairs((_, s, t) => ((int)s.Messages, t.Messages))),
            Duplicates: Comparison.Of(Pairs((_, s, t) => ((int)s.Duplicates, t.Duplicates))),
            MaxHops: Comparison.Of(Pairs((_, s, t) => ((int)s.MaxHops, t.MaxHops))),
            Hits: Comparison.Of(Pairs((sample, _, t) => (sample.Hits, layout.TheoryHits(t)))),
            Errors: ok.Sum(r => (int)r.Stats.Errors),
            DeadlineExceeded: ok.Sum(r => (int)r.Stats.DeadlineExceeded),
            RunsMatchingTheory: ok.Count(r => MatchesTheory(r.Stats, r.Theory)),
            RunsAboveTheory: ok.Count(r => r.Stats.PeersReached > r.Theory.Reached.Count || r.Stats.Messages > r.Theory.Messages),
            RunsMissingHits: ok.Count(r => r.Sample.Hits < layout.TheoryHits(r.Theory)),
            RunsWithHit: samples.Count(s => s.FirstHit is not null),
            FirstHitMs: Timing.Of(samples.Where(s => s.FirstHit is not null).Select(s => s.FirstHit!.Value)),
            LastEventMs: Timing.Of(ok.Select(r => r.Sample.LastEvent)),
            Explained: new ExplainedRuns(
                Runs: explained.Count,
                MatchingTheory: trees.Count(t => MatchesTheory(t.Sample.Stats!, t.Theory)),
                MatchingRealisedTree: trees.Count(t => t.Tree.Explains(t.Sample.Stats!, topology, ttl)),
                LateArrivalsMean: late.Count == 0 ? 0 : Math.Round(late.Average(), 2),
                LateArrivalsMax: late.DefaultIfEmpty(0).Max()),
            Cpu: cpu,
            LinksIntact: linksIntact);
    }

    /// <summary>Other processes' load, in cores, from which a row's times count as disturbed.</summary>
    public const double DisturbedOtherCores = 0.25;

    /// <summary>Whether other processes used the CPUs enough, while the row was timed, to slow it down.</summary>
    public bool Disturbed => Cpu.OtherCores >= DisturbedOtherCores;

    /// <summary>
    /// Reach, messages and duplicates (the flood's cost) exactly as predicted, with no errors and no
    /// deadline cut-offs. Max hops is compared on its own (<see cref="MaxHops"/>): a peer first reached
    /// late raises it above theory without changing any count when the TTL has room to spare.
    /// </summary>
    private static bool MatchesTheory(FloodStats stats, FloodPrediction theory) =>
        stats.PeersReached == theory.Reached.Count
        && stats.Messages == theory.Messages
        && stats.Duplicates == theory.Duplicates
        && stats.Errors == 0
        && stats.DeadlineExceeded == 0;
}
