using P2PMesh.Cli.Tests.Infrastructure;

namespace P2PMesh.Cli.Tests.Commands;

/// <summary>Every client verb against a port nothing listens on: exit 3 and one line naming the URL and the way out.</summary>
public sealed class UnreachableApiTests
{
    public static TheoryData<string[]> Verbs => new()
    {
        new[] { "search", "*" },
        new[] { "get", "*.iso" },
        new[] { "get", new string('a', 64) },
        new[] { "ls" },
        new[] { "peers" },
        new[] { "status", "--json" },
    };

    [Theory]
    [MemberData(nameof(Verbs))]
    public async Task Verb_NothingListens_Exit3NamingTheUrl(string[] verb)
    {
        var url = $"http://127.0.0.1:{ClosedPort.Next()}/";

        var run = await CliRunner.RunAsync([.. verb, "--api", url]);

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains($"cannot reach the PClient-API at {url}", run.Error);
        Assert.Contains("--api or $P2PMESH_API", run.Error);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public async Task Put_NothingListens_Exit3()
    {
        using var file = new TempFile([]);

        var run = await CliRunner.RunAsync("put", file.Path, "--api", $"127.0.0.1:{ClosedPort.Next()}");

        Assert.True(run.ExitCode == 3, run.ToString());
    }
}
