using System.Diagnostics;
using System.Text;
using P2PMesh.Bootstrap.Tests;
using P2PMesh.Cli.LocalMesh;
using P2PMesh.Core.Search;
using P2PMesh.FloodBench.Measurement;
using P2PMesh.FloodBench.Mesh;
using P2PMesh.FloodBench.Results;
using P2PMesh.PServer.Tests.Mesh;
using P2PMesh.V1;
using Via = P2PMesh.V1.SearchRequest.Types.Via;

namespace P2PMesh.FloodBench.Modes;

/// <summary>
/// The search modes side by side (bench/README.md, "Search modes side by side"): one mesh of N PServers in this process
/// on the flood benchmark's random regular graph, with a real Bootstrap serving the directory (per-peer secrets) when
/// DIRECTORY is measured and a private RabbitMQ node (<see cref="LocalBroker"/>, the file <c>p2pmesh up --mom local</c>
/// runs) when MOM is. Once every peer's index is in the directory and every holder answers on the bus, the same
/// queries (origin, pattern) run in rounds, each round every mode once in a rotating order, so load drift hits every
/// mode alike. The broker, the Bootstrap and every peer are stopped when it returns or throws.
/// </summary>
internal sealed class SearchModesRunner(FloodBenchOptions options, TextWriter progress)
{
    /// <summary>The rare file: one holder, found by a glob on its extension.</summary>
    public const string RareFileName = "rare-needle.iso";

    /// <summary>Longest wait for the directory to hold every index and for every holder to answer on the bus.</summary>
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(120);

    /// <summary>A flood or directory search that takes longer has hung; it counts as a failed run.</summary>
    private static readonly TimeSpan SearchTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The queries, taken in turn by the rounds: the common file by name, the rare one by a glob.</summary>
    public static readonly string[] Patterns = [FloodBenchRunner.FileName, "*.iso"];

    public async Task<SearchModesReport> RunAsync(CancellationToken cancellationToken)
    {
        var modes = options.Modes ?? throw new InvalidOperationException("No modes to compare.");
        var peers = options.Sizes[0];
        var ttl = options.Ttls[0];
        var layout = MeshLayout.Create(peers, options.Degree, options.Origins, options.HolderShare);
        var rare = Enumerable.Range(0, peers).First(i => !layout.Origins.Contains(i) && !layout.Holders.Contains(i));
        progress.WriteLine($"N={peers}: {layout.Topology}, diameter {layout.Diameter}, origins {string.Join(", ", layout.Origins.Select(o => $"p{o}"))}, {layout.Holders.Count} holder(s) of {FloodBenchRunner.FileName}, p{rare} holds {RareFileName}");

        await using var broker = modes.Contains(Via.Mom) ? await StartBrokerAsync(cancellationToken) : null;
        await using var bootstrap = modes.Contains(Via.Directory)
            ? await BootstrapHost.StartAsync([.. Enumerable.Range(0, peers).Select(i => $"--Directory:Secrets:p{i}=s{i}"), "--Logging:LogLevel:Default=Error"])
            : null;
        var clock = Stopwatch.StartNew();
        await using var mesh = await TestMesh.StartAsync(peers, i =>
        [
            .. FloodBenchRunner.PeerSettings,
            // Directory:Address, not Neighbours:Bootstrap: the agent then heartbeats the directory itself (every 10 s).
            // Through the Bootstrap the heartbeat would ride on neighbour maintenance, which PeerSettings slows to
            // 30 s, the Bootstrap's default peer expiry: peers would expire mid-run and their entries with them.
            .. bootstrap is null ? Array.Empty<string>() : [$"--Directory:Address=127.0.0.1:{bootstrap.Address.Port}", $"--Directory:Secret=s{i}"],
            .. broker is null ? Array.Empty<string>() : [$"--Mom:Uri={broker.Uri}"],
        ]);
        progress.WriteLine($"  started {peers} peers{(bootstrap is null ? "" : ", the directory")}{(broker is null ? "" : $", the broker {broker.DisplayUri}")} in {clock.Elapsed.TotalSeconds:F1} s");
        cancellationToken.ThrowIfCancellationRequested();

        clock.Restart();
        await mesh.ConnectAsync(layout.Topology);
        var content = Encoding.UTF8.GetBytes($"the needle of the {peers}-peer search-modes benchmark\n");
        await Task.WhenAll(layout.Holders.Select(h => mesh[h].AddFileAsync(FloodBenchRunner.FileName, content)));
        await mesh[rare].AddFileAsync(RareFileName, Encoding.UTF8.GetBytes("the rare needle\n"));
        var expected = new Dictionary<string, int>
        {
            [FloodBenchRunner.FileName] = layout.Holders.Count,
            ["*.iso"] = 1,
        };
        progress.WriteLine($"  linked {layout.Topology.Edges.Count()} edges and seeded in {clock.Elapsed.TotalSeconds:F1} s");

        using var probe = new FloodProbe(mesh, FloodBenchRunner.FileName, SearchTimeout);
        using var replies = new MomReplyClock();
        if (bootstrap is not null)
        {
            clock.Restart();
            await WaitForDirectoryAsync(bootstrap, peers, layout.Holders.Count + 1, cancellationToken);
            progress.WriteLine($"  the directory holds all {peers} indexes after {clock.Elapsed.TotalSeconds:F1} s");
        }

        // Warm-up, unmeasured: channels, JIT, the bus's reply queues; MOM until every holder answers every pattern.
        clock.Restart();
        for (var run = 0; run < options.WarmupRuns * layout.Origins.Count; run++)
        {
            foreach (var mode in modes)
            {
                await SearchAsync(probe, replies, mode, run, layout.Origins[run % layout.Origins.Count], ttl, Patterns[run % Patterns.Length], expected, cancellationToken);
            }
        }
        if (broker is not null)
        {
            var ready = await Poll.UntilAsync(async () =>
            {
                var all = true;
                foreach (var pattern in Patterns)
                {
                    var s = await SearchAsync(probe, replies, Via.Mom, 0, layout.Origins[0], ttl, pattern, expected, cancellationToken);
                    all &= s.Sample.Hits == expected[pattern];
                }
                return all;
            }, ReadyTimeout);
            if (!ready)
            {
                throw new InvalidOperationException($"MOM searches never found every holder within {ReadyTimeout.TotalSeconds:0} s.");
            }
        }
        progress.WriteLine($"  warmed up in {clock.Elapsed.TotalSeconds:F1} s");

        var waited = await CpuMeter.WaitForQuietAsync(FloodCell.DisturbedOtherCores, options.QuietWait, cancellationToken);
        var meter = new CpuMeter();
        var samples = new List<ModeSample>();
        var runs = options.RunsFor(peers);
        for (var run = 0; run < runs; run++)
        {
            var origin = layout.Origins[run % layout.Origins.Count];
            var pattern = Patterns[run % Patterns.Length];
            for (var k = 0; k < modes.Count; k++)
            {
                // Rotate which mode goes first, so no mode always runs right after another one's burst.
                var mode = modes[(run + k) % modes.Count];
                samples.Add(await SearchAsync(probe, replies, mode, run, origin, ttl, pattern, expected, cancellationToken));
            }
        }
        var cpu = meter.Stop();
        var linksIntact = FloodBenchRunner.LinksIntact(mesh, layout.Topology);
        progress.WriteLine($"  {runs} rounds of {modes.Count} modes in {cpu.WallSeconds} s (waited {waited.TotalSeconds:F0} s for other load < {FloodCell.DisturbedOtherCores} cores; it was {cpu.OtherCores} during the rounds); links intact: {linksIntact}");
        var rows = modes.Select(m => ModeRow.From(m, ttl, options.MomDeadline, samples.Where(s => s.Mode == m).ToList())).ToList();
        return new SearchModesReport(layout, rare, ttl, rows, cpu, linksIntact);
    }

    private async Task<ModeSample> SearchAsync(
        FloodProbe probe, MomReplyClock replies, Via mode, int run, int origin, int ttl, string pattern, Dictionary<string, int> expected, CancellationToken cancellationToken)
    {
        var queryId = FloodProbe.NewQueryId();
        if (mode != Via.Mom)
        {
            var sample = await probe.SearchAsync(origin, queryId, pattern, ttl, mode, SearchTimeout, explain: false, cancellationToken);
            return new ModeSample(mode, run, pattern, expected[pattern], sample, null, null, null);
        }
        var correlationId = QueryIdFormat.Format(queryId.Span);
        replies.Expect(correlationId);
        var started = Stopwatch.GetTimestamp();
        var momSample = await probe.SearchAsync(origin, queryId, pattern, ttl, mode, options.MomDeadline, explain: false, cancellationToken);
        var (requests, replied, lastReply) = replies.Take(correlationId);
        return new ModeSample(mode, run, pattern, expected[pattern], momSample, requests, replied,
            lastReply == 0 ? null : Stopwatch.GetElapsedTime(started, lastReply));
    }

    /// <summary>Until the directory's <c>Query("*")</c> has every peer logged in and every shared file (the holders and the rare one).</summary>
    private static async Task WaitForDirectoryAsync(BootstrapHost bootstrap, int peers, int files, CancellationToken cancellationToken)
    {
        var directory = new PeerDirectory.PeerDirectoryClient(bootstrap.Channel);
        QueryReply? last = null;
        var ready = await Poll.UntilAsync(async () =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            last = await directory.QueryAsync(new QueryRequest { Pattern = "*" }, deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: cancellationToken);
            return last.PeersIndexed == peers && last.Hits.Count == files;
        }, ReadyTimeout);
        if (!ready)
        {
            throw new InvalidOperationException($"The directory never held every index: {last?.PeersIndexed} of {peers} peers, {last?.Hits.Count} of {files} files.");
        }
    }

    private static async Task<LocalBroker> StartBrokerAsync(CancellationToken cancellationToken)
    {
        if (LocalBroker.FindServer() is null)
        {
            throw new InvalidOperationException("MOM needs a RabbitMQ broker. " + LocalBroker.InstallHint);
        }
        var broker = LocalBroker.Create(new FreePorts());
        try
        {
            await broker.StartAsync(cancellationToken);
        }
        catch
        {
            await broker.DisposeAsync();
            throw;
        }
        return broker;
    }
}
