using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using P2PMesh.Cli.Tests.Infrastructure;
using Xunit.Abstractions;

namespace P2PMesh.Cli.Tests.EndToEnd;

/// <summary>
/// The end-to-end check with real processes: <c>p2pmesh up --peers 5 --share-from DIR</c> on
/// generated files of mixed sizes, then <c>p2pmesh search --json</c> and <c>p2pmesh get</c> (the fetched
/// bytes against the originals), then SIGTERM to <c>up</c> and no process left behind.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class UpEndToEndTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);
    private readonly TempDirectory _temp = new("p2pmesh-cli-e2e-");

    public void Dispose() => _temp.Dispose();

    [SkippableFact]
    public async Task Up_FivePeersSeededFromADirectory_SearchFindsAllGetFetchesExactBytes_SigtermLeavesNoProcess()
    {
        Skip.If(OperatingSystem.IsWindows(), "needs SIGTERM (Unix)");
        Assert.True(File.Exists(CliProcess.CliDll), $"build the CLI first: {CliProcess.CliDll}");

        // Arrange: mixed sizes around the 1 MiB chunk size, nested paths, random (so distinct) content.
        var source = Path.Combine(_temp.Path, "src");
        var originals = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (name, size) in new (string, int)[]
        {
            ("tiny.txt", 1), ("small.txt", 1_000), ("page.bin", 65_536), ("one-chunk.bin", 1 << 20), ("two-chunks.bin", (1 << 20) + 1),
            ("docs/manual.pdf", 2_500_000), ("media/clip.mp4", 3 * (1 << 20) + 12_345), ("media/deep/note.md", 5_000),
        })
        {
            var path = Path.Combine(source, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            originals[name] = RandomNumberGenerator.GetBytes(size);
            await File.WriteAllBytesAsync(path, originals[name]);
        }
        // ShareSeeder's rule: sorted paths, every third (k mod 3 = 2) on two peers.
        var holders = originals.Keys.Order(StringComparer.Ordinal).Select((name, k) => (name, k)).ToDictionary(x => x.name, x => x.k % 3 == 2 ? 2 : 1);
        var statePath = Path.Combine(_temp.Path, "mesh.json");

        using var up = CliProcess.Start([
            "up", "--peers", "5", "--share-from", source, "--dir", Path.Combine(_temp.Path, "mesh"), "--state", statePath, "--api-port", "0"]);
        var pids = new List<int>();
        try
        {
            var state = await up.WaitForStateAsync(statePath, StartTimeout);
            pids.AddRange(state.Processes.Select(p => p.Pid));
            Assert.Equal(11, pids.Count);
            Assert.Equal(up.Process.Id, state.Pid);
            Assert.Equal(["peer-1", "peer-2", "peer-3", "peer-4", "peer-5"], state.Peers.Select(p => p.Id));
            Assert.All(pids, pid => Assert.True(CliProcess.IsAlive(pid), $"pid {pid} is not running"));
            // The table is printed before the state file is written; the pipe may lag a little.
            var printed = Stopwatch.StartNew();
            while (!up.Out.Contains("peer-5", StringComparison.Ordinal) && printed.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(50);
            }
            Assert.Contains("peer-5", up.Out);

            // Act 1: search from the last peer; the mesh may still be knitting, so ask until it has everything.
            var api = state.Peers[4].Api;
            var expected = originals.ToDictionary(o => Convert.ToHexStringLower(SHA256.HashData(o.Value)), o => o.Key);
            JsonElement[] files = [];
            var watch = Stopwatch.StartNew();
            do
            {
                using var search = await CliProcess.RunJsonAsync(CommandTimeout, "search", "*", "--json", "--api", api);
                files = [.. search.RootElement.GetProperty("files").EnumerateArray().Select(f => f.Clone())];
            }
            while ((files.Length < expected.Count || files.Sum(f => f.GetProperty("sources").GetArrayLength()) < holders.Values.Sum())
                && watch.Elapsed < TimeSpan.FromSeconds(60) && await Delay());

            // Assert 1: every file, by hash and size, with its seeded number of holders.
            Assert.Equal(expected.Keys.Order(), files.Select(f => f.GetProperty("sha256").GetString()).Order());
            foreach (var file in files)
            {
                var name = expected[file.GetProperty("sha256").GetString()!];
                Assert.Equal(originals[name].Length, file.GetProperty("size").GetInt64());
                Assert.Contains(name, file.GetProperty("names").EnumerateArray().Select(n => n.GetString()));
                Assert.True(holders[name] == file.GetProperty("sources").GetArrayLength(), $"{name}: {file}");
            }

            // Act 2 + Assert 2: get, by hash and by pattern, through peer-1's API.
            var outDirectory = Path.Combine(_temp.Path, "out");
            var byHash = expected.Single(e => e.Value == "media/clip.mp4").Key;
            using (var got = await CliProcess.RunJsonAsync(CommandTimeout, "get", byHash, "--out", outDirectory, "--json", "--api", state.Peers[0].Api))
            {
                Assert.Equal("completed", got.RootElement.GetProperty("download").GetProperty("state").GetString());
                Assert.Equal(originals["media/clip.mp4"], await File.ReadAllBytesAsync(got.RootElement.GetProperty("path").GetString()!));
            }
            var (exitCode, stdout, stderr) = await CliProcess.RunAsync(CommandTimeout, "get", "two-chunks.*", "--out", outDirectory, "--api", state.Peers[0].Api);
            Assert.True(exitCode == 0, stdout + stderr);
            Assert.Equal(originals["two-chunks.bin"], await File.ReadAllBytesAsync(Path.Combine(outDirectory, "two-chunks.bin")));

            // Act 3 + Assert 3: SIGTERM to `up` alone; exit 130, every child gone within 15 s, state file removed.
            await up.TerminateAsync();
            await CliProcess.AssertAllExitAsync(pids, TimeSpan.FromSeconds(15));
            Assert.False(File.Exists(statePath));
            Assert.Contains("mesh stopped", up.Error);
        }
        finally
        {
            output.WriteLine($"--- up stdout:{Environment.NewLine}{up.Out}--- up stderr:{Environment.NewLine}{up.Error}");
            foreach (var pid in pids)
            {
                CliProcess.KillIfAlive(pid);
            }
        }
    }

    [SkippableFact]
    public async Task Up_KilledWithSigkill_WatchdogStopsTheChildren_TheDirectoryIsFreeAgain()
    {
        Skip.If(OperatingSystem.IsWindows(), "the watchdog is /bin/sh (Unix)");
        var statePath = Path.Combine(_temp.Path, "mesh.json");
        using var up = CliProcess.Start(["up", "--peers", "1", "--dir", Path.Combine(_temp.Path, "mesh"), "--state", statePath, "--api-port", "0"]);
        var pids = new List<int>();
        try
        {
            var state = await up.WaitForStateAsync(statePath, StartTimeout);
            pids.AddRange(state.Processes.Select(p => p.Pid));
            Assert.Equal(3, pids.Count);

            up.Process.Kill();   // SIGKILL: no handler of `up` runs
            await up.Process.WaitForExitAsync();

            await CliProcess.AssertAllExitAsync(pids, TimeSpan.FromSeconds(20));

            // The OS released the directory's lock with the process: ps names the dead up, and a new up starts there.
            var ps = await CliProcess.RunAsync(CommandTimeout, "ps", "--dir", Path.Combine(_temp.Path, "mesh"));
            Assert.True(ps.ExitCode == 1 && ps.Error.Contains($"up pid {up.Process.Id} stopped without cleaning up", StringComparison.Ordinal), ps.ToString());
            await using var again = await RunningUp.StartAsync(Path.Combine(_temp.Path, "mesh"), peers: 1, output);
            Assert.NotEqual(up.Process.Id, again.State.Pid);
        }
        finally
        {
            output.WriteLine($"--- up stdout:{Environment.NewLine}{up.Out}--- up stderr:{Environment.NewLine}{up.Error}");
            foreach (var pid in pids)
            {
                CliProcess.KillIfAlive(pid);
            }
        }
    }

    [Fact]
    public async Task Up_ServicesNotFound_Exit1NamingP2pmeshBin()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_temp.Path, "empty")).FullName;
        using var up = CliProcess.Start(["up", "--peers", "1", "--dir", Path.Combine(_temp.Path, "mesh")], new Dictionary<string, string> { ["P2PMESH_BIN"] = empty });
        using var timeout = new CancellationTokenSource(CommandTimeout);
        await up.Process.WaitForExitAsync(timeout.Token);

        Assert.Equal(1, up.Process.ExitCode);
        Assert.Contains("P2PMESH_BIN", up.Error);
        Assert.Contains("P2PMesh.PServer.dll", up.Error);
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(500);
        return true;
    }
}
