using System.Security.Cryptography;
using System.Text.Json;
using P2PMesh.Cli.Tests.Infrastructure;
using P2PMesh.PClientApi.Tests;
using Xunit.Abstractions;

namespace P2PMesh.Cli.Tests.Commands;

/// <summary>The client verbs, run in-process against a real PClient-API in front of a real 3-peer ring.</summary>
public sealed class ClientCommandTests(MeshFixture fixture, ITestOutputHelper output) : IClassFixture<MeshFixture>
{
    private string Api => fixture.ApiUrl;

    [Fact]
    public async Task Search_Json_EveryMatchingFileWithAllItsSources()
    {
        var run = await CliRunner.RunAsync("search", "*.iso", "--json", "--api", Api);

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Out);
        var file = Assert.Single(json.RootElement.GetProperty("files").EnumerateArray());
        Assert.Equal(MeshFixture.Sha(MeshFixture.Iso), file.GetProperty("sha256").GetString());
        Assert.Equal(MeshFixture.Iso.Length, file.GetProperty("size").GetInt64());
        Assert.Equal(["p1", "p2"], file.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("peerId").GetString()).Order());
        Assert.Equal(3, json.RootElement.GetProperty("stats").GetProperty("peersReached").GetInt32());
        Assert.Equal("", run.Error);
    }

    [Fact]
    public async Task Search_Table_OneRowPerFileWithSourcesAndASummary()
    {
        var run = await CliRunner.RunAsync("search", "*", "--api", Api);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("copy-of-distro.iso", run.Out);
        Assert.Contains("photo.jpg", run.Out);
        Assert.Contains("notes.txt", run.Out);
        Assert.Contains(MeshFixture.Sha(MeshFixture.Iso)[..12], run.Out);
        // Both holders with their hops (1, or 2 when the other holder's forward arrived first).
        Assert.Matches(@"p[12] \([12]\), p[12] \([12]\)", run.Out);
        Assert.Contains("4 files, 5 sources", run.Out);
        Assert.Contains("3 peers reached", run.Out);
        // The query id, as --json's queryId and the spans' p2pmesh.query_id have it: 32 lowercase hex digits, ending the line.
        Assert.Matches(@"3 peers reached.* · query id [0-9a-f]{32}\r?$", run.Out.Split('\n').Single(l => l.Contains("peers reached", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Search_Explain_DrawsTheFloodTree()
    {
        var run = await CliRunner.RunAsync("search", "photo.jpg", "--explain", "--ttl", "2", "--api", Api);

        Assert.True(run.ExitCode == 0, run.ToString());
        output.WriteLine(run.Out);
        var lines = run.Out.Split('\n');
        Assert.StartsWith("p0 (origin, ttl 2) 1 hit · 3 peers reached", lines[0]);
        // p0 forwards to both neighbours; which later forwards happen, and which are duplicates, depends
        // on which forward reaches a peer first (3 or 4 edges, 1 or 2 duplicates). Every edge is drawn.
        var messages = int.Parse(System.Text.RegularExpressions.Regex.Match(lines[0], @"(\d+) messages").Groups[1].Value);
        Assert.Equal(messages, lines.Count(l => l.Contains("── ", StringComparison.Ordinal) && l.Contains(" hop ", StringComparison.Ordinal)));
        // The header's depth is the deepest peer that processed the query, as the tree's processed forwards show it
        // (with ttl 2 on a 3-ring: hop 1, unless one neighbour's forward reached the other before p0's own did: hop 2).
        var processedAtHop2 = lines.Skip(1).Any(l => l.Contains(" hop 2 ", StringComparison.Ordinal) && !l.Contains("duplicate", StringComparison.Ordinal));
        Assert.Contains($"deepest peer at hop {(processedAtHop2 ? 2 : 1)}", lines[0]);
        Assert.Equal(2, lines.Count(l => l.Contains("── ", StringComparison.Ordinal) && l.Contains(" hop 1 ", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.Contains(" hop ") && l.Contains("duplicate"));
        Assert.Contains(lines, l => l.Contains("p2 hop") && l.Contains("1 hit") && l.Contains("holds photo.jpg"));
    }

    [Fact]
    public async Task Search_NoHits_ExitZeroAndAnEmptyList()
    {
        var json = await CliRunner.RunAsync("search", "nothing-like-this-*", "--json", "--api", Api);
        var table = await CliRunner.RunAsync("search", "nothing-like-this-*", "--api", Api);

        Assert.True(json.ExitCode == 0, json.ToString());
        using var document = JsonDocument.Parse(json.Out);
        Assert.Equal(0, document.RootElement.GetProperty("files").GetArrayLength());
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("No file matches", table.Out);
    }

    [Fact]
    public async Task Search_PatternThePServerRejects_ApiSays400_UsageExit2()
    {
        var run = await CliRunner.RunAsync("search", "sha256:nothex", "--api", Api);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("(400)", run.Error);
    }

    [Fact]
    public async Task Ls_Json_TheApisOwnShare()
    {
        var run = await CliRunner.RunAsync("ls", "--json", "--api", Api);

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Out);
        Assert.Contains(json.RootElement.EnumerateArray(), f =>
            f.GetProperty("name").GetString() == "notes.txt" && f.GetProperty("sha256").GetString() == MeshFixture.Sha(MeshFixture.Notes));
        Assert.DoesNotContain(json.RootElement.EnumerateArray(), f => f.GetProperty("name").GetString() == "distro.iso");
    }

    [Fact]
    public async Task Ls_Table()
    {
        var run = await CliRunner.RunAsync("ls", "--api", Api);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("notes.txt", run.Out);
        Assert.Contains("17 B", run.Out);
    }

    [Fact]
    public async Task Peers_Json_SelfAndBothNeighboursHealthy()
    {
        var run = await CliRunner.RunAsync("peers", "--json", "--api", Api);

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal("p0", json.RootElement.GetProperty("self").GetProperty("id").GetString());
        var neighbours = json.RootElement.GetProperty("neighbours").EnumerateArray().ToList();
        Assert.Equal(["p1", "p2"], neighbours.Select(n => n.GetProperty("id").GetString()).Order());
        Assert.All(neighbours, n => Assert.True(n.GetProperty("healthy").GetBoolean()));
    }

    [Fact]
    public async Task Peers_Table()
    {
        var run = await CliRunner.RunAsync("peers", "--api", Api);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("self", run.Out);
        Assert.Contains(fixture.Mesh[1].PeerAddress, run.Out);
        Assert.Contains("2 neighbours, 2 healthy", run.Out);
    }

    [Fact]
    public async Task Status_Ready_SummaryAndExitZero()
    {
        var run = await CliRunner.RunAsync("status", "--api", Api);
        var json = await CliRunner.RunAsync("status", "--json", "--api", Api);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("ready", run.Out);
        Assert.Contains("p0", run.Out);
        Assert.Contains("2 (2 healthy)", run.Out);
        Assert.Equal(0, json.ExitCode);
        using var document = JsonDocument.Parse(json.Out);
        Assert.True(document.RootElement.GetProperty("ready").GetBoolean());
        Assert.Equal("p0", document.RootElement.GetProperty("peerId").GetString());
        Assert.Equal(fixture.Mesh[0].PeerAddress, document.RootElement.GetProperty("pserver").GetString());
        Assert.Equal(2, document.RootElement.GetProperty("neighbours").GetInt32());
        Assert.True(document.RootElement.GetProperty("files").GetInt32() >= 1);
    }

    [Fact]
    public async Task Status_PServerDown_NotReadyExit1()
    {
        await using var orphan = await ApiHost.StartAsync($"127.0.0.1:{ClosedPort.Next()}");

        var run = await CliRunner.RunAsync("status", "--json", "--api", orphan.Client.BaseAddress!.ToString());

        Assert.Equal(1, run.ExitCode);
        using var document = JsonDocument.Parse(run.Out);
        Assert.False(document.RootElement.GetProperty("ready").GetBoolean());
        Assert.False(string.IsNullOrEmpty(document.RootElement.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task Put_ToTheApisPeer_FileLandsInItsShare()
    {
        using var file = new TempFile(RandomNumberGenerator.GetBytes(150_000));

        var run = await CliRunner.RunAsync("put", file.Path, "--name", "put-local.bin", "--api", Api);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Stored put-local.bin", run.Out);
        Assert.Equal(await File.ReadAllBytesAsync(file.Path), await File.ReadAllBytesAsync(Path.Combine(fixture.Mesh[0].ShareDirectory, "put-local.bin")));
    }

    [Fact]
    public async Task Put_ToANeighbourById_Json_StoredThere()
    {
        var content = RandomNumberGenerator.GetBytes(1_300_000);
        using var file = new TempFile(content);

        var run = await CliRunner.RunAsync("put", file.Path, "--to", "p2", "--name", "put-remote.bin", "--json", "--api", Api);

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal(fixture.Mesh[2].PeerAddress, json.RootElement.GetProperty("peer").GetString());
        Assert.Equal(MeshFixture.Sha(content), json.RootElement.GetProperty("file").GetProperty("sha256").GetString());
        Assert.Equal(2, json.RootElement.GetProperty("chunks").GetInt32());
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(fixture.Mesh[2].ShareDirectory, "put-remote.bin")));
    }

    [Fact]
    public async Task Put_UnknownPeer_Exit1WithTheProblem()
    {
        using var file = new TempFile([1, 2, 3]);

        var run = await CliRunner.RunAsync("put", file.Path, "--to", "nobody", "--api", Api);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Unknown peer (404)", run.Error);
    }

    [Fact]
    public async Task Put_NameOutsideTheShare_ApiSays400_UsageExit2()
    {
        using var file = new TempFile([1, 2, 3]);

        var run = await CliRunner.RunAsync("put", file.Path, "--name", "../escape.bin", "--api", Api);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("(400)", run.Error);
    }

    [Fact]
    public async Task Get_PatternWithNoHits_Exit1()
    {
        var run = await CliRunner.RunAsync("get", "nothing-like-this-*", "--api", Api);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("no file matches 'nothing-like-this-*'", run.Error);
    }

    [Fact]
    public async Task Get_PatternMatchingSeveralFiles_Exit1AndListsTheirHashes()
    {
        var run = await CliRunner.RunAsync("get", "*", "--api", Api);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("different files match '*'", run.Error);
        Assert.Contains($"p2pmesh get {MeshFixture.Sha(MeshFixture.Iso)}", run.Error);
        Assert.Contains($"p2pmesh get {MeshFixture.Sha(MeshFixture.Photo)}", run.Error);
    }

    [Fact]
    public async Task Get_ByPattern_DownloadsIntoTheApisShareAndSavesAVerifiedCopy()
    {
        var outDirectory = Directory.CreateTempSubdirectory("p2pmesh-cli-get-").FullName;
        try
        {
            var run = await CliRunner.RunAsync("get", "*.iso", "--out", outDirectory, "--json", "--api", Api);

            Assert.True(run.ExitCode == 0, run.ToString());
            using var json = JsonDocument.Parse(run.Out);
            var download = json.RootElement.GetProperty("download");
            Assert.Equal("completed", download.GetProperty("state").GetString());
            Assert.Equal(MeshFixture.Sha(MeshFixture.Iso), download.GetProperty("sha256").GetString());
            var path = json.RootElement.GetProperty("path").GetString()!;
            Assert.Equal(outDirectory, Path.GetDirectoryName(path));
            Assert.Equal(MeshFixture.Iso, await File.ReadAllBytesAsync(path));
            Assert.Empty(Directory.GetFiles(outDirectory, "*.part"));
            // The download landed in the API's (p0's) share as well.
            Assert.Equal(MeshFixture.Iso, await File.ReadAllBytesAsync(Path.Combine(fixture.Mesh[0].ShareDirectory, download.GetProperty("fileName").GetString()!)));
        }
        finally
        {
            Directory.Delete(outDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Get_ByHash_Table()
    {
        var run = await CliRunner.RunAsync("get", MeshFixture.Sha(MeshFixture.Photo).ToUpperInvariant(), "--api", Api);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Downloaded photo.jpg", run.Out);
    }

    [Fact]
    public async Task Get_HashNobodyHolds_Exit1()
    {
        var run = await CliRunner.RunAsync("get", new string('0', 64), "--api", Api);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("(404)", run.Error);
    }

    [Fact]
    public async Task Get_CtrlC_Exit130AndTheJobIsDeleted()
    {
        var sha = MeshFixture.Sha(MeshFixture.Big);
        using var ctrlC = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        // "Press Ctrl-C" as soon as the CLI has started the job.
        var watcher = Task.Run(async () =>
        {
            while (!ctrlC.IsCancellationRequested)
            {
                using var jobs = JsonDocument.Parse(await fixture.Api.Client.GetStringAsync("/api/downloads"));
                if (jobs.RootElement.EnumerateArray().Any(j => j.GetProperty("sha256").GetString() == sha))
                {
                    await ctrlC.CancelAsync();
                    return;
                }
                await Task.Delay(10);
            }
        });

        var run = await CliRunner.RunAsync(["get", sha, "--api", Api], ctrlC.Token);
        await watcher;

        Assert.True(run.ExitCode == 130, run.ToString());
        Assert.Contains("cancelled; download", run.Error);
        // DELETE answers 202: the job stops shortly after. Cancelled, unless it beat the DELETE to the finish.
        string? state = null;
        for (var wait = System.Diagnostics.Stopwatch.StartNew(); wait.Elapsed < TimeSpan.FromSeconds(10); await Task.Delay(50))
        {
            using var after = JsonDocument.Parse(await fixture.Api.Client.GetStringAsync("/api/downloads"));
            state = Assert.Single(after.RootElement.EnumerateArray(), j => j.GetProperty("sha256").GetString() == sha).GetProperty("state").GetString();
            if (state is "cancelled" or "completed" or "failed")
            {
                break;
            }
        }
        output.WriteLine($"job state after Ctrl-C: {state}");
        Assert.Contains(state, new[] { "cancelled", "completed" });
    }
}
