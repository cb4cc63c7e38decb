using System.Diagnostics;
using System.Text;
using P2PMesh.FloodBench.Measurement;
using P2PMesh.FloodBench.Mesh;
using P2PMesh.FloodBench.Results;
using P2PMesh.PServer.Tests.Mesh;

namespace P2PMesh.FloodBench;

/// <summary>
/// Measures one mesh size: starts N PServers in this process, links them into the layout's random
/// regular graph, seeds the file on the holders, warms every origin up with one unmeasured search, then
/// for each TTL runs the timed searches (origins in turn) and the explained ones, and summarises them.
/// Every peer is stopped when it returns or throws.
/// </summary>
internal sealed class FloodBenchRunner(FloodBenchOptions options, TextWriter progress)
{
    /// <summary>The searched file: found by name, held by the layout's holders.</summary>
    public const string FileName = "flood-needle.bin";

    /// <summary>A search that takes longer has hung; it counts as a failed run.</summary>
    private static readonly TimeSpan SearchTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Every peer's settings beyond TestMesh's (fixed ids, auto-discovery off). MaxDegree 8 is room
    /// to link any d ≤ 8. Neighbour maintenance keeps running, but pings every 30 s instead of 2 s:
    /// still well inside the channels' 5-minute idle timeout, so links stay warm, without N·d/2 pings
    /// a second of background load on the shared cores. Logs: errors only, on stderr (stdout is JSON).
    /// No configuration reload: each host would hold an inotify instance for its appsettings files,
    /// and the default limit is 128 per user, for all processes together.
    /// </summary>
    internal static readonly string[] PeerSettings =
    [
        "--hostBuilder:reloadConfigOnChange=false",
        "--Neighbours:MaxDegree=8",
        "--Neighbours:MaintenanceInterval=00:00:30",
        "--Logging:LogLevel:Default=Error",
        "--Logging:Console:LogToStandardErrorThreshold=Trace",
    ];

    public async Task<IReadOnlyList<FloodCell>> RunAsync(int peers, CancellationToken cancellationToken)
    {
        var layout = MeshLayout.Create(peers, options.Degree, options.Origins, options.HolderShare);
        progress.WriteLine($"N={peers}: {layout.Topology}, diameter {layout.Diameter}, origins {string.Join(", ", layout.Origins.Select(o => $"p{o}"))}, {layout.Holders.Count} holder(s)");

        var clock = Stopwatch.StartNew();
        await using var mesh = await TestMesh.StartAsync(peers, _ => PeerSettings);
        progress.WriteLine($"  started {peers} peers in {clock.Elapsed.TotalSeconds:F1} s");
        cancellationToken.ThrowIfCancellationRequested();

        clock.Restart();
        await mesh.ConnectAsync(layout.Topology);
        var content = Encoding.UTF8.GetBytes($"the needle of the {peers}-peer flood benchmark\n");
        await Task.WhenAll(layout.Holders.Select(h => mesh[h].AddFileAsync(FileName, content)));
        progress.WriteLine($"  linked {layout.Topology.Edges.Count()} edges and seeded in {clock.Elapsed.TotalSeconds:F1} s");

        using var probe = new FloodProbe(mesh, FileName, SearchTimeout);
        for (var run = 0; run < options.WarmupRuns * layout.Origins.Count; run++)
        {
            // Unmeasured: the client's channel to each origin, every link of a full flood, tiered JIT.
            await probe.SearchAsync(layout.Origins[run % layout.Origins.Count], options.Ttls.Max(), explain: false, cancellationToken);
        }

        var cells = new List<FloodCell>();
        foreach (var ttl in options.Ttls)
        {
            var waited = await CpuMeter.WaitForQuietAsync(FloodCell.DisturbedOtherCores, options.QuietWait, cancellationToken);
            var meter = new CpuMeter();
            var samples = new List<FloodSample>();
            for (var run = 0; run < options.RunsFor(peers); run++)
            {
                samples.Add(await probe.SearchAsync(layout.Origins[run % layout.Origins.Count], ttl, explain: false, cancellationToken));
            }
            var cpu = meter.Stop();
            var explained = new List<FloodSample>();
            for (var run = 0; run < options.ExplainedRuns; run++)
            {
                explained.Add(await probe.SearchAsync(layout.Origins[run % layout.Origins.Count], ttl, explain: true, cancellationToken));
            }
            var cell = FloodCell.From(layout, ttl, mesh, samples, explained, cpu, LinksIntact(mesh, layout.Topology));
            progress.WriteLine($"  TTL {ttl}: {cell.RunsMatchingTheory}/{cell.Runs} runs match theory, last event p50 {cell.LastEventMs?.P50} ms, {cpu.WallSeconds} s (waited {waited.TotalSeconds:F0} s for other load < {FloodCell.DisturbedOtherCores} cores; it was {cpu.OtherCores} during the row)");
            cells.Add(cell);
        }
        return cells;
    }

    /// <summary>Whether every peer still has exactly its topology neighbours (maintenance dropped none under load).</summary>
    internal static bool LinksIntact(TestMesh mesh, Topology topology) => Enumerable.Range(0, mesh.Count).All(i =>
        mesh[i].Neighbours.Snapshot().Select(n => mesh.IndexOf(n.Id)).Order().SequenceEqual(topology.Neighbours(i).Order()));
}
