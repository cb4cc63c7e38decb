using P2PMesh.Cli.Rendering;
using P2PMesh.PClientApi.Contracts;

namespace P2PMesh.Cli.Tests.Rendering;

public sealed class FloodTreeRendererTests
{
    [Fact]
    public void Render_NestsForwardsUnderTheirSender_DuplicatesAndErrorsAreLeaves()
    {
        var response = new SearchResponse("q", "*.iso", 3,
            [new SearchFile("ab", 10, 4096, ["x.iso"], [new SearchSource("c", "127.0.0.1:3", "x.iso", 2, ["a", "b", "c"])])],
            new FloodStatsDto(3, 5, 1, 2, 1, 0, 1),
            [
                new EdgeDto("a", "b", 1, "hits", 1, 30, null),
                new EdgeDto("a", "d", 1, "error", 0, 2, "Unavailable: connection refused"),
                new EdgeDto("b", "c", 2, "hits", 1, 12, null),
                new EdgeDto("c", "a", 3, "duplicate", 0, 1, null),
                new EdgeDto("b", "e", 2, "deadline", 0, 900, null),
            ],
            42);
        var output = new StringWriter();
        var console = CliConsole.From(output, TextWriter.Null);

        console.Ansi.Write(FloodTreeRenderer.Render(response));

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd()).ToList();
        Assert.Equal("a (origin, ttl 3) 1 hit · 3 peers reached · 5 messages · 1 duplicate · deepest peer at hop 2 · 42 ms", lines[0]);
        // Each sender's forwards in the order they finished.
        Assert.Equal(
            [
                "├── d hop 1 · 2 ms error Unavailable: connection refused",
                "└── b hop 1 · 30 ms 1 hit",
                "    ├── c hop 2 · 12 ms 1 hit holds x.iso",
                "    │   └── a hop 3 · 1 ms duplicate",
                "    └── e hop 2 · 900 ms deadline",
            ],
            lines.Skip(1));
    }
}
