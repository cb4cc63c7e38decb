using System.CommandLine.Completions;
using P2PMesh.Cli.Commands.Get;
using P2PMesh.Cli.Commands.Search;
using P2PMesh.Cli.Tests.Infrastructure;

namespace P2PMesh.Cli.Tests.Parsing;

/// <summary><c>--via</c> on <c>search</c> and <c>get</c> (docs/architecture.md, Search modes): its values, default, completions and errors.</summary>
public sealed class SearchViaParsingTests
{
    [Fact]
    public void Search_NoVia_Auto()
    {
        var result = CliParser.Parse(["search", "x"]);

        Assert.Empty(result.Errors);
        Assert.Equal("auto", result.GetValue(SearchCommandDefinition.ViaOption));
    }

    [Theory]
    [InlineData("flood")]
    [InlineData("directory")]
    [InlineData("auto")]
    [InlineData("mom")]
    public void SearchAndGet_EveryMode_Parsed(string mode)
    {
        var search = CliParser.Parse(["search", "x", "--via", mode]);
        var get = CliParser.Parse(["get", "*.iso", "--via", mode]);

        Assert.Empty(search.Errors);
        Assert.Empty(get.Errors);
        Assert.Equal(mode, search.GetValue(SearchCommandDefinition.ViaOption));
        Assert.Equal(mode, get.GetValue(GetCommandDefinition.ViaOption));
    }

    [Fact]
    public void Get_NoVia_Auto()
    {
        Assert.Equal("auto", CliParser.Parse(["get", "x"]).GetValue(GetCommandDefinition.ViaOption));
    }

    [Fact]
    public void Via_CompletesTheFourModes()
    {
        var labels = SearchCommandDefinition.ViaOption.GetCompletions(CompletionContext.Empty).Select(c => c.Label);

        Assert.Equal(["auto", "directory", "flood", "mom"], labels.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("search")]
    [InlineData("get")]
    public async Task Via_Unknown_UsageExit2NamingTheValue(string verb)
    {
        var run = await CliRunner.RunAsync(verb, "x", "--via", "gossip");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("gossip", run.Error);
        Assert.Contains("--help' for usage", run.Error);
    }

    [Fact]
    public async Task Help_ShowsTheModes()
    {
        var run = await CliRunner.RunAsync("search", "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("--via <flood|directory|auto|mom>", run.Out);
    }
}
