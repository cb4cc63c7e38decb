using P2PMesh.Cli.Commands.Search;
using P2PMesh.PClientApi.Contracts;

namespace P2PMesh.Cli.Tests.Commands;

/// <summary>The summary line of <c>search</c>: which path answered and what it cost (docs/architecture.md, Search modes).</summary>
public sealed class SearchSummaryTests
{
    [Fact]
    public void AnsweredBy_Directory_OneRpc()
    {
        Assert.Equal("answered by the directory (1 RPC)", SearchCommand.AnsweredBy(new FloodStatsDto(2, 1, 0, 0, 0, 0, 3, "directory")));
    }

    [Fact]
    public void AnsweredBy_Mom_TheRequestAndTheReplies()
    {
        Assert.Equal("answered over the message bus: 1 request, 3 replies", SearchCommand.AnsweredBy(new FloodStatsDto(3, 4, 0, 0, 0, 0, 2, "mom")));
    }

    [Fact]
    public void AnsweredBy_Flood_PeersMessagesDuplicatesDepth()
    {
        Assert.Equal("answered by a flood: 8 peers reached, 21 messages, 13 duplicates, deepest peer at hop 3",
            SearchCommand.AnsweredBy(new FloodStatsDto(8, 21, 13, 3, 0, 0, 4)));
    }

    [Fact]
    public void AnsweredBy_FloodAfterAnEmptyDirectory_SaysSoAndCountsTheQuery()
    {
        Assert.Equal("answered by a flood after the directory had no hits: 8 peers reached, 22 messages (1 to the directory), 13 duplicates, deepest peer at hop 3",
            SearchCommand.AnsweredBy(new FloodStatsDto(8, 22, 13, 3, 0, 0, 4, "flood", "no hits in the directory")));
    }

    [Fact]
    public void AnsweredBy_FloodAfterAnUnreachableDirectory_NamesTheFailure()
    {
        var line = SearchCommand.AnsweredBy(new FloodStatsDto(2, 2, 0, 1, 0, 0, 1, "flood", "directory unreachable: Unavailable: connection refused"));

        Assert.StartsWith("answered by a flood after the directory was unreachable (Unavailable: connection refused): 2 peers reached, 2 messages (1 to the directory)", line);
    }

    [Fact]
    public void AnsweredBy_FloodWithoutADirectory_NoDirectoryMessage()
    {
        Assert.Equal("answered by a flood (no directory configured): 2 peers reached, 1 message, 0 duplicates, deepest peer at hop 1",
            SearchCommand.AnsweredBy(new FloodStatsDto(2, 1, 0, 1, 0, 0, 1, "flood", "no directory configured")));
    }

    [Fact]
    public void Summary_FilesSourcesAnswerTimeAndQueryId()
    {
        var response = new SearchResponse("ab", "*", 7,
            [new SearchFile(new string('a', 64), 1, 1, ["x"], [new SearchSource("p1", "127.0.0.1:1", "x", 0, ["p1"])])],
            new FloodStatsDto(1, 1, 0, 0, 0, 0, 1, "directory"), null, 3, "directory");

        Assert.Equal("1 file, 1 source · answered by the directory (1 RPC) · 3 ms · query id ab", SearchCommand.Summary(response));
    }

    [Theory]
    [InlineData("directory", "The directory answered")]
    [InlineData("mom", "The message bus answered")]
    public void NoFloodTree_SaysThereIsNone(string answeredBy, string expected)
    {
        var line = SearchCommand.NoFloodTree(new FloodStatsDto(1, 1, 0, 0, 0, 0, 1, answeredBy));

        Assert.StartsWith(expected, line);
        Assert.Contains("no flood tree to draw", line);
    }
}
