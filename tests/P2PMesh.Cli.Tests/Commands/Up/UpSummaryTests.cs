using Spectre.Console;
using P2PMesh.Cli.Commands.Up;
using P2PMesh.Cli.LocalMesh;

namespace P2PMesh.Cli.Tests.Commands.Up;

/// <summary><c>up</c>'s summary on an 80-column terminal: every address whole on one line, to copy.</summary>
public sealed class UpSummaryTests
{
    private const int TerminalWidth = 80;

    [Theory]
    [InlineData(1, false)]
    [InlineData(5, true)]
    [InlineData(64, true)]
    public void Write_EightyColumnsLongDirectory_EveryUrlWholeOnOneLine(int peers, bool seeded)
    {
        // Arrange: five-digit ports and a directory far wider than the terminal.
        var directory = Path.Combine(Path.GetTempPath(), "a-rather-long-directory-name-for-a-mesh", "that-goes-on-and-on", ".p2pmesh");
        var settings = new MeshLaunchSettings(peers, 4, seeded ? "/home/someone/Music" : null, directory, Path.Combine(directory, "mesh.json"), 0,
            TimeSpan.FromMinutes(2), [], []);
        var state = new MeshState(
            "http://127.0.0.1:40001",
            [.. Enumerable.Range(0, peers).Select(i => new MeshStatePeer(settings.PeerId(i), $"127.0.0.1:{41000 + i}", $"http://127.0.0.1:{50000 + i}", settings.ShareOf(i)))],
            12345,
            settings.LogDirectory,
            []);
        IReadOnlyList<IReadOnlyList<string>>? files = seeded ? [.. Enumerable.Range(0, peers).Select(i => (IReadOnlyList<string>)[$"file-{i}.mp3"])] : null;
        using var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = TerminalWidth;

        // Act
        UpSummary.Write(console, settings, state, files, telemetry: "OTLP http://localhost:4317 (grpc) as p2pmesh-bootstrap, p2pmesh-pserver, p2pmesh-pclient-api");

        // Assert: each URL (and each PServer address) is on some line whole; the table's lines fit the terminal.
        var lines = output.ToString().Split(Environment.NewLine);
        var addresses = state.Peers.SelectMany(p => new[] { p.Pserver, p.Api }).Append(state.Bootstrap).ToList();
        Assert.All(addresses, address => Assert.True(
            lines.Any(l => ContainsWhole(l, address)), $"{address} is not whole on one line:{Environment.NewLine}{output}"));
        Assert.Contains(lines, l => l.Contains($"--api {state.Peers[0].Api}", StringComparison.Ordinal));
        Assert.All(lines.Where(l => l.Contains('│', StringComparison.Ordinal)), l => Assert.True(l.Length <= TerminalWidth, $"wider than {TerminalWidth}: {l}"));
    }

    /// <summary>The address, not followed by another digit (so http://127.0.0.1:5000 is not found inside …:50001).</summary>
    private static bool ContainsWhole(string line, string address)
    {
        var at = line.IndexOf(address, StringComparison.Ordinal);
        return at >= 0 && (at + address.Length == line.Length || !char.IsAsciiDigit(line[at + address.Length]));
    }
}
