using System.Text;
using System.Text.Json;
using P2PMesh.Cli.Tests.Infrastructure;
using P2PMesh.PClientApi.Tests;
using P2PMesh.PServer.Tests.Mesh;
using P2PMesh.PServer.Tests.Search;

namespace P2PMesh.Cli.Tests.Commands;

/// <summary>
/// <c>search --via</c> and <c>get --via</c> in-process against a real PClient-API in front of p0 of a real two-peer line,
/// p0's directory a fake one that lists p1's file as <c>indexed-flooded.txt</c> (the flood finds it as <c>flooded.txt</c>).
/// </summary>
public sealed class SearchViaCommandTests(SearchViaCommandTests.Fixture fixture) : IClassFixture<SearchViaCommandTests.Fixture>
{
    private string Api => fixture.Api.Client.BaseAddress!.ToString();

    [Fact]
    public async Task Search_ViaDirectory_SummarySaysTheDirectoryAnsweredInOneRpc()
    {
        var run = await CliRunner.RunAsync("search", "*.txt", "--via", "directory", "--api", Api);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("indexed-flooded.txt", run.Out);
        Assert.Contains("1 file, 1 source · answered by the directory (1 RPC)", run.Out);
    }

    [Fact]
    public async Task Search_DefaultIsAuto_TheDirectoryAnswers()
    {
        var run = await CliRunner.RunAsync("search", "*.txt", "--json", "--api", Api);

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal("auto", json.RootElement.GetProperty("via").GetString());
        Assert.Equal("directory", json.RootElement.GetProperty("stats").GetProperty("answeredBy").GetString());
    }

    [Fact]
    public async Task Search_ViaFlood_SummarySaysAFloodAnswered()
    {
        var run = await CliRunner.RunAsync("search", "*.txt", "--via", "flood", "--api", Api);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("flooded.txt", run.Out);
        Assert.Contains("answered by a flood: 2 peers reached, 1 message, 0 duplicates, deepest peer at hop 1", run.Out);
    }

    [Fact]
    public async Task Search_ExplainAnsweredByTheDirectory_SaysThereIsNoFloodTree()
    {
        var run = await CliRunner.RunAsync("search", "*.txt", "--via", "directory", "--explain", "--api", Api);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("The directory answered: no flood ran, so there is no flood tree to draw", run.Out);
        Assert.DoesNotContain("(origin, ttl", run.Out);
    }

    [Fact]
    public async Task Search_ViaMomWithoutABroker_UsageExit2NamingMomUri()
    {
        var run = await CliRunner.RunAsync("search", "*.txt", "--via", "mom", "--api", Api);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Mom:Uri", run.Error);
    }

    [Fact]
    public async Task Get_PatternViaDirectory_DownloadsFromTheHolderItNames()
    {
        var run = await CliRunner.RunAsync("get", "indexed-flooded.txt", "--via", "directory", "--json", "--api", Api);

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal("completed", json.RootElement.GetProperty("download").GetProperty("state").GetString());
        Assert.Equal([fixture.Mesh[1].PeerAddress], json.RootElement.GetProperty("download").GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("address").GetString()));
    }

    [Fact]
    public async Task Get_PatternViaDirectoryNoMatch_Exit1SaysTheDirectoryHasNone()
    {
        var before = fixture.Directory.Hits;
        fixture.Directory.Hits = [];
        try
        {
            var run = await CliRunner.RunAsync("get", "nothing-*", "--via", "directory", "--api", Api);

            Assert.Equal(1, run.ExitCode);
            Assert.Contains("no file matches 'nothing-*' (the directory has none)", run.Error);
        }
        finally
        {
            fixture.Directory.Hits = before;
        }
    }

    /// <summary>The <see cref="DirectoryMesh"/> these tests share: p1 holds flooded.txt, the directory lists it as indexed-flooded.txt.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private DirectoryMesh? _mesh;

        private DirectoryMesh Setup => _mesh ?? throw new InvalidOperationException("not started");

        public FakeDirectoryHost Directory => Setup.Directory;

        public TestMesh Mesh => Setup.Mesh;

        public ApiHost Api => Setup.Api;

        public async Task InitializeAsync() => _mesh = await DirectoryMesh.StartAsync("flooded.txt", Encoding.UTF8.GetBytes("found two ways"));

        public async Task DisposeAsync()
        {
            if (_mesh is not null)
            {
                await _mesh.DisposeAsync();
            }
        }
    }
}
