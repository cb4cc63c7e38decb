using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using P2PMesh.Cli.LocalMesh;
using P2PMesh.Cli.Tests.Infrastructure;
using Xunit.Abstractions;

namespace P2PMesh.Cli.Tests.EndToEnd;

/// <summary>
/// One mesh per directory, with real processes: a second <c>up</c> on a running mesh's <c>--dir</c> is refused and
/// touches nothing; <c>ps</c> shows the running mesh; <c>down</c> stops it and frees the directory; both say so
/// when nothing runs, and <c>down</c> cleans up after a killed <c>up</c>.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class MeshDirectoryEndToEndTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);
    private readonly TempDirectory _temp = new("p2pmesh-cli-dir-");

    private string MeshPath => Path.Combine(_temp.Path, "mesh");

    public void Dispose() => _temp.Dispose();

    [SkippableFact]
    public async Task Up_SecondUpOnTheSameDirectory_Exit1NamingTheRunningPid_FirstServesOnWithItsState()
    {
        Skip.If(OperatingSystem.IsWindows(), "stops up with SIGTERM (Unix)");
        // Arrange
        await using var first = await RunningUp.StartAsync(MeshPath, peers: 1, output);
        var stateBefore = await File.ReadAllTextAsync(first.StatePath);

        // Act
        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(CommandTimeout, "up", "--peers", "1", "--dir", MeshPath, "--api-port", "0");

        // Assert: refused at once, naming the pid and the way to stop it; the first mesh untouched and still serving.
        Assert.True(exitCode == ExitCodes.Failure, $"exit {exitCode}: {stdout}{stderr}");
        var error = Assert.Single(stderr.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"up pid {first.Cli.Process.Id.ToString(CultureInfo.InvariantCulture)}", error);
        Assert.Contains($"p2pmesh down --dir {MeshPath}", error);
        Assert.DoesNotContain("starting", stdout + stderr);
        Assert.False(first.Cli.Process.HasExited);
        Assert.All(first.ChildPids, pid => Assert.True(CliProcess.IsAlive(pid), $"pid {pid} is gone"));
        Assert.Equal(stateBefore, await File.ReadAllTextAsync(first.StatePath));
        using var http = new HttpClient();
        using var ready = await http.GetAsync(new Uri(first.State.Peers[0].Api + "/readyz"));
        Assert.True(ready.IsSuccessStatusCode, $"readyz: {ready.StatusCode}");
    }

    [SkippableFact]
    public async Task Ps_RunningMesh_ShowsUpTheBootstrapAndEachPeersAddressesAndPids_AllAlive()
    {
        Skip.If(OperatingSystem.IsWindows(), "stops up with SIGTERM (Unix)");
        // Arrange
        await using var up = await RunningUp.StartAsync(MeshPath, peers: 2, output);
        var pids = up.State.Processes.ToDictionary(p => p.Name, p => p.Pid);

        // Act
        using var json = await CliProcess.RunJsonAsync(CommandTimeout, "ps", "--dir", MeshPath, "--json");
        var (exitCode, text, stderr) = await CliProcess.RunAsync(CommandTimeout, "ps", "--dir", MeshPath);

        // Assert: JSON
        var report = json.RootElement;
        Assert.True(report.GetProperty("running").GetBoolean());
        Assert.Equal(up.Cli.Process.Id, report.GetProperty("pid").GetInt32());
        Assert.True(report.GetProperty("upAlive").GetBoolean());
        Assert.Equal(up.StatePath, report.GetProperty("stateFile").GetString());
        AssertProcess(report.GetProperty("bootstrap"), "bootstrap", up.State.Bootstrap, pids);
        var peers = report.GetProperty("peers").EnumerateArray().ToList();
        Assert.Equal(["peer-1", "peer-2"], peers.Select(p => p.GetProperty("id").GetString()));
        for (var i = 0; i < peers.Count; i++)
        {
            AssertProcess(peers[i].GetProperty("pserver"), $"peer-{i + 1}/pserver", up.State.Peers[i].Pserver, pids);
            AssertProcess(peers[i].GetProperty("api"), $"peer-{i + 1}/api", up.State.Peers[i].Api, pids);
        }

        // Assert: text, one line per process with its pid, "yes" and its address
        Assert.True(exitCode == 0, text + stderr);
        Assert.Contains($"up pid {up.Cli.Process.Id}, running", text);
        var lines = text.Split(Environment.NewLine);
        foreach (var process in up.State.Processes)
        {
            var address = process.Name == "bootstrap" ? up.State.Bootstrap
                : process.Name.EndsWith("/api", StringComparison.Ordinal) ? up.State.Peers.Single(p => process.Name == p.Id + "/api").Api
                : up.State.Peers.Single(p => process.Name == p.Id + "/pserver").Pserver;
            var line = Assert.Single(lines, l => l.StartsWith(process.Name + " ", StringComparison.Ordinal));
            Assert.Equal([process.Name, process.Pid.ToString(CultureInfo.InvariantCulture), "yes", address], line.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }
    }

    [SkippableFact]
    public async Task Down_RunningMesh_StopsUpAndEveryChild_ReleasesTheDirectory_UpStartsThereAgain()
    {
        Skip.If(OperatingSystem.IsWindows(), "down sends SIGTERM (Unix)");
        // Arrange
        await using var up = await RunningUp.StartAsync(MeshPath, peers: 1, output);

        // Act
        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(CommandTimeout, "down", "--dir", MeshPath);

        // Assert: up has exited (as on SIGTERM, 130), its children are gone, the lock is free and the state deleted.
        Assert.True(exitCode == 0, $"exit {exitCode}: {stdout}{stderr}");
        Assert.Contains($"stopped the mesh in {MeshPath}: up pid {up.Cli.Process.Id} and its 3 processes", stdout);
        Assert.True(up.Cli.Process.HasExited || up.Cli.Process.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Equal(ExitCodes.Cancelled, up.Cli.Process.ExitCode);
        Assert.DoesNotContain(up.ChildPids, CliProcess.IsAlive);
        Assert.False(new MeshDirectory(MeshPath).IsLocked());
        Assert.False(File.Exists(up.StatePath));

        // And: a new up on the same directory starts, and down stops it too.
        await using var again = await RunningUp.StartAsync(MeshPath, peers: 1, output);
        Assert.NotEqual(up.Cli.Process.Id, again.State.Pid);
        var second = await CliProcess.RunAsync(CommandTimeout, "down", "--dir", MeshPath);
        Assert.True(second.ExitCode == 0, second.Out + second.Error);
    }

    [Fact]
    public async Task DownAndPs_NothingRunsInTheDirectory_Exit1SayingSo()
    {
        Directory.CreateDirectory(MeshPath);

        var ps = await CliProcess.RunAsync(CommandTimeout, "ps", "--dir", MeshPath);
        var down = await CliProcess.RunAsync(CommandTimeout, "down", "--dir", MeshPath);
        var missing = await CliProcess.RunAsync(CommandTimeout, "ps", "--dir", Path.Combine(_temp.Path, "never-made"));

        Assert.Equal((1, "", $"p2pmesh: no mesh runs in {MeshPath}"), (ps.ExitCode, ps.Out, ps.Error.Trim()));
        Assert.Equal((1, "", $"p2pmesh: no mesh runs in {MeshPath}"), (down.ExitCode, down.Out, down.Error.Trim()));
        Assert.Equal(1, missing.ExitCode);
        Assert.False(Directory.Exists(Path.Combine(_temp.Path, "never-made")));
    }

    [Fact]
    public async Task Down_StateOfADeadUp_ReportsAndRemovesIt_Exit1()
    {
        // Arrange: the files a killed up leaves: its owner record and state, naming a pid that has exited.
        using var gone = Process.Start(new ProcessStartInfo(DotnetHost.Locate(), "--version") { RedirectStandardOutput = true })!;
        await gone.WaitForExitAsync();
        var directory = new MeshDirectory(MeshPath);
        Directory.CreateDirectory(directory.RunDirectory);
        await File.WriteAllTextAsync(directory.PidFile, $"{gone.Id}\n{directory.DefaultStateFile}\n");
        await File.WriteAllTextAsync(directory.LockFile, "");
        await new MeshState("http://127.0.0.1:1", [new MeshStatePeer("peer-1", "127.0.0.1:2", "http://127.0.0.1:3", "/tmp/share")], gone.Id, "/tmp/logs",
            [new MeshStateProcess("bootstrap", gone.Id, "/tmp/logs/bootstrap.log")]).WriteAsync(directory.DefaultStateFile, CancellationToken.None);

        // Act
        var ps = await CliProcess.RunAsync(CommandTimeout, "ps", "--dir", MeshPath);
        var down = await CliProcess.RunAsync(CommandTimeout, "down", "--dir", MeshPath);
        var after = await CliProcess.RunAsync(CommandTimeout, "ps", "--dir", MeshPath);

        // Assert
        Assert.True(ps.ExitCode == 1, ps.ToString());
        Assert.Contains($"up pid {gone.Id} stopped without cleaning up", ps.Error);
        Assert.Contains("bootstrap", ps.Out);
        Assert.True(down.ExitCode == 1, down.ToString());
        Assert.Contains($"up pid {gone.Id} stopped without cleaning up; removed {directory.DefaultStateFile}, {directory.PidFile}", down.Error);
        Assert.False(File.Exists(directory.DefaultStateFile));
        Assert.False(File.Exists(directory.PidFile));
        Assert.Equal($"p2pmesh: no mesh runs in {MeshPath}", after.Error.Trim());
    }

    private static void AssertProcess(JsonElement process, string name, string address, Dictionary<string, int> pids)
    {
        Assert.Equal(name, process.GetProperty("name").GetString());
        Assert.Equal(address, process.GetProperty("address").GetString());
        Assert.Equal(pids[name], process.GetProperty("pid").GetInt32());
        Assert.True(process.GetProperty("alive").GetBoolean(), $"{name} not alive");
    }
}
