using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using P2PMesh.Cli.LocalMesh;
using P2PMesh.Cli.Tests.Infrastructure;
using P2PMesh.PClientApi.Contracts;
using Xunit.Abstractions;

namespace P2PMesh.Cli.Tests.EndToEnd;

/// <summary>
/// Faults on a real local mesh (<c>p2pmesh up</c>, every service its own process on 127.0.0.1; issue 13,
/// docs/security.md, Faults): sources SIGKILLed in the middle of a 300 MiB download, the downloading PClient-API
/// SIGKILLed and restarted, the directory killed, and 200 concurrent floods on 20 peers. Sources serve at a capped
/// rate (<c>Transfers:MaxServeBytesPerSecond</c>) so a download is still running when the fault hits.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class FaultsEndToEndTests(ITestOutputHelper output) : IDisposable
{
    private const int MiB = 1024 * 1024;
    private const string ServeCap = "Transfers:MaxServeBytesPerSecond=20971520";   // 20 MiB/s per source
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);
    private readonly TempDirectory _temp = new("p2pmesh-faults-");
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(90) };

    public void Dispose()
    {
        _http.Dispose();
        _temp.Dispose();
    }

    [SkippableFact]
    public async Task TwoOfThreeSourcesSigkilledMidDownload_ItCompletesFromTheLast_ThenTheDirectoryDies_SearchesGoOnByFlood()
    {
        Skip.If(OperatingSystem.IsWindows(), "needs SIGKILL and SIGTERM (Unix)");
        await using var up = await RunningUp.StartAsync(Path.Combine(_temp.Path, "mesh"), peers: 4, output, "--pserver-setting", ServeCap);
        var (content, sha256) = await SeedAsync(up, "big-300.bin", 300 * MiB, holders: [1, 2, 3]);
        var api = up.State.Peers[0].Api;

        // The three holders named: without sources the API asks the directory first, which may not have indexed all three yet.
        var job = await StartDownloadAsync(api, sha256, [.. up.State.Peers.Skip(1).Select(p => p.Pserver)]);
        var status = await UntilStatusAsync(api, job.Id, s => s.BytesDone >= content.Length / 5 || IsFinal(s), "a fifth of the file");
        Assert.Equal(DownloadStates.Running, status.State);
        Kill(up, MeshStateProcess.PServerName("peer-2"));
        Kill(up, MeshStateProcess.PServerName("peer-3"));
        output.WriteLine($"killed the PServers of peer-2 and peer-3 at {status.BytesDone / MiB} MiB of {content.Length / MiB}");

        var done = await UntilStatusAsync(api, job.Id, IsFinal, "the download to end");
        Assert.True(done.State == DownloadStates.Completed, $"{done.State}: {done.Error}");
        await AssertSha256Async(sha256, Path.Combine(up.State.Peers[0].Share, done.FileName!));
        var last = Assert.Single(done.Sources, s => s.Address == up.State.Peers[3].Pserver);
        Assert.Null(last.Dropped);
        Assert.True(last.Bytes >= content.Length - status.BytesDone - (8L * MiB), $"peer-4 served {last.Bytes} bytes");
        Assert.All(done.Sources.Where(s => s.Address != last.Address), s => Assert.NotNull(s.Dropped));

        // The directory dies: a search (auto: the directory first) still finds the file by flood.
        Kill(up, MeshStateProcess.BootstrapName);
        var search = await SearchAsync(api, "big-300.bin", "auto");
        Assert.Equal(SearchModes.Flood, search.Stats!.AnsweredBy);
        Assert.NotNull(search.Stats.FallbackReason);
        Assert.Contains(up.State.Peers[3].Pserver, search.Files.Single(f => f.Sha256 == sha256).Sources.Select(s => s.Address));
    }

    [SkippableFact]
    public async Task DownloadingApiSigkilled_TheRestartedApiResumes_FetchingAgainOnlyTheChunksInFlight()
    {
        Skip.If(OperatingSystem.IsWindows(), "needs SIGKILL and SIGTERM (Unix)");
        await using var up = await RunningUp.StartAsync(Path.Combine(_temp.Path, "mesh"), peers: 2, output, "--pserver-setting", ServeCap);
        var (content, sha256) = await SeedAsync(up, "resume-me.bin", 120 * MiB, holders: [1]);
        var api = up.State.Peers[0].Api;

        var first = await StartDownloadAsync(api, sha256);
        var before = await UntilStatusAsync(api, first.Id, s => s.ChunksDone * 10 >= s.ChunksTotal * 4 || IsFinal(s), "40 % of the chunks");
        Assert.Equal(DownloadStates.Running, before.State);
        var apiProcess = up.State.Processes.Single(p => p.Name == MeshStateProcess.ApiName("peer-1"));
        Kill(up, apiProcess.Name);

        using var restarted = Restart(apiProcess);
        try
        {
            await UntilAsync(async () => (await _http.GetAsync(new Uri(new Uri(api), "/readyz"))).IsSuccessStatusCode, "the restarted API to be ready");
            var second = await StartDownloadAsync(api, sha256);
            var done = await UntilStatusAsync(api, second.Id, IsFinal, "the resumed download to end");

            Assert.True(done.State == DownloadStates.Completed, $"{done.State}: {done.Error}");
            output.WriteLine($"killed at {before.ChunksDone} of {before.ChunksTotal} chunks seen done; resumed {done.ChunksResumed}, fetched {done.BytesFetched} bytes");
            // Every chunk seen verified before the kill was kept (and any completed after it); what was fetched again
            // is the rest: the chunks that were in flight and those not yet asked for.
            Assert.InRange(done.ChunksResumed, before.ChunksDone, done.ChunksTotal!.Value - 1);
            var chunkSize = (content.Length + done.ChunksTotal.Value - 1) / done.ChunksTotal.Value;
            Assert.Equal((long)(done.ChunksTotal.Value - done.ChunksResumed) * chunkSize, done.BytesFetched);
            await AssertSha256Async(sha256, Path.Combine(up.State.Peers[0].Share, done.FileName!));
        }
        finally
        {
            if (!restarted.HasExited)
            {
                restarted.Kill(entireProcessTree: true);
                await restarted.WaitForExitAsync();
            }
        }
    }

    [SkippableFact]
    public async Task TwoHundredConcurrentFloodsOnTwentyPeers_AllEndWithStatisticsBeforeTheirDeadline_NoPeersMemoryKeepsGrowing()
    {
        Skip.If(OperatingSystem.IsWindows(), "needs SIGTERM (Unix)");
        // A 60 s search deadline (the API's default is 10 s): a 2-core machine running these 41 processes relays about
        // 600 flood messages a second, so 200 floods of ~100 messages each take ~30 s together; and gRPC deadlines
        // travel as a relative grpc-timeout, so a PServer cannot see the seconds a request waited in queues before it
        // read it: the tenth of the deadline each hop keeps back has to cover that wait.
        await using var up = await RunningUp.StartAsync(Path.Combine(_temp.Path, "mesh"), peers: 20, output, "--api-setting", "Api:SearchTimeout=00:01:00");
        await File.WriteAllBytesAsync(Path.Combine(up.State.Peers[19].Share, "needle.bin"), RandomNumberGenerator.GetBytes(4096));
        await UntilAsync(async () => (await SearchAsync(up.State.Peers[0].Api, "needle.bin", "flood")).Files.Count == 1, "peer-20's file to be found");
        var pservers = up.State.Processes.Where(p => p.Name.EndsWith("/pserver", StringComparison.Ordinal)).ToList();

        var batches = new List<IReadOnlyDictionary<string, long>>();
        for (var batch = 0; batch < 2; batch++)
        {
            var clock = Stopwatch.StartNew();
            var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => SearchAsync(up.State.Peers[i % 20].Api, "needle.bin", "flood", explain: true)));
            output.WriteLine($"batch {batch + 1}: 200 floods in {clock.ElapsedMilliseconds} ms; slowest {results.Max(r => r.ElapsedMs)} ms; " +
                $"reached {results.Min(r => r.Stats!.PeersReached)}..{results.Max(r => r.Stats!.PeersReached)} peers");
            Assert.All(results, r =>
            {
                Assert.NotNull(r.Stats);
                Assert.Equal(SearchModes.Flood, r.Stats.AnsweredBy);
                Assert.InRange(r.ElapsedMs, 0, 60_000);   // Api:SearchTimeout
                Assert.InRange(r.Stats.PeersReached, 1, 20);
            });
            // The storm slows pings enough that some links are dropped and re-made meanwhile, so a flood may miss a
            // peer; most must still find peer-20's file.
            var found = results.Count(r => r.Files.Any(f => f.Names.Contains("needle.bin")));
            output.WriteLine($"batch {batch + 1}: {found} of 200 found needle.bin; errors {results.Sum(r => r.Stats!.Errors)}, " +
                $"cut off {results.Sum(r => r.Stats!.DeadlineExceeded)}: " +
                string.Join("; ", results.SelectMany(r => r.Edges ?? []).Where(e => e.Outcome == "error").Select(e => e.Error).Distinct().Take(5)));
            Assert.True(found >= 180, $"only {found} of 200 floods found needle.bin");
            batches.Add(pservers.ToDictionary(p => p.Name, p => ResidentBytes(p.Pid)));
        }
        foreach (var (name, after) in batches[1])
        {
            var growth = after - batches[0][name];
            output.WriteLine($"{name}: RSS {batches[0][name] / MiB} MiB after 200 floods, {after / MiB} MiB after 400");
            Assert.True(growth < 64L * MiB, $"{name} grew {growth / MiB} MiB over the second 200 floods");
        }
    }

    // Random content of SIZE bytes as NAME in the shares of the peers at HOLDERS (indices into up's peers), then waits
    // until a flood from peer-1 finds every one of them.
    private async Task<(byte[] Content, string Sha256)> SeedAsync(RunningUp up, string name, int size, int[] holders)
    {
        var content = new byte[size];
        RandomNumberGenerator.Fill(content);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        foreach (var holder in holders)
        {
            await File.WriteAllBytesAsync(Path.Combine(up.State.Peers[holder].Share, name), content);
        }
        await UntilAsync(async () => (await SearchAsync(up.State.Peers[0].Api, $"sha256:{sha256}", "flood")).Files.SelectMany(f => f.Sources).Count() == holders.Length,
            $"{name} on {holders.Length} holder(s) to be found");
        return (content, sha256);
    }

    private static async Task AssertSha256Async(string sha256, string path)
    {
        await using var file = File.OpenRead(path);
        Assert.Equal(sha256, Convert.ToHexStringLower(await SHA256.HashDataAsync(file)));
    }

    private static bool IsFinal(DownloadStatus status) => DownloadStates.IsFinished(status.State);

    private static void Kill(RunningUp up, string name)
    {
        using var process = Process.GetProcessById(up.State.Processes.Single(p => p.Name == name).Pid);
        process.Kill();
        process.WaitForExit();
    }

    // The child again, with the command line `up` started it with (the start line of its log: "=== TIME NAME: DOTNET DLL ARGS").
    private static Process Restart(MeshStateProcess child)
    {
        // The start line, not the one `up` appends when the child exits ("=== TIME NAME exited with code N").
        var header = File.ReadLines(child.Log).Last(l => l.StartsWith("=== ", StringComparison.Ordinal) && l.Contains(": ", StringComparison.Ordinal)
            && !l.Contains(" exited with code ", StringComparison.Ordinal));
        var words = header[(header.IndexOf(": ", StringComparison.Ordinal) + 2)..].Split(' ');
        var info = new ProcessStartInfo(words[0]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var word in words.Skip(1))
        {
            info.ArgumentList.Add(word);
        }
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static long ResidentBytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    private async Task<SearchResponse> SearchAsync(string api, string pattern, string via, bool explain = false) =>
        (await _http.GetFromJsonAsync<SearchResponse>(new Uri(new Uri(api), $"/api/search?q={Uri.EscapeDataString(pattern)}&via={via}&explain={(explain ? "true" : "false")}"), Json))!;

    private async Task<DownloadStatus> StartDownloadAsync(string api, string sha256, IReadOnlyList<string>? sources = null)
    {
        using var response = await _http.PostAsJsonAsync(new Uri(new Uri(api), "/api/downloads"), new StartDownloadRequest(sha256, sources, null), Json);
        Assert.True(response.IsSuccessStatusCode, $"POST /api/downloads: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<DownloadStatus>(Json))!;
    }

    private async Task<DownloadStatus> UntilStatusAsync(string api, Guid id, Func<DownloadStatus, bool> condition, string what)
    {
        DownloadStatus? status = null;
        await UntilAsync(async () =>
        {
            status = await _http.GetFromJsonAsync<DownloadStatus>(new Uri(new Uri(api), $"/api/downloads/{id}"), Json);
            return condition(status!);
        }, what, TimeSpan.FromMilliseconds(50));
        return status!;
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? every = null)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (HttpRequestException) when (watch.Elapsed < Patience)
            {
            }
            Assert.True(watch.Elapsed < Patience, $"waited {Patience} for {what}");
            await Task.Delay(every ?? TimeSpan.FromMilliseconds(500));
        }
    }
}
