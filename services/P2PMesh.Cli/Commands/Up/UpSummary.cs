using System.Globalization;
using Spectre.Console;
using P2PMesh.Cli.LocalMesh;

namespace P2PMesh.Cli.Commands.Up;

/// <summary>
/// What <c>p2pmesh up</c> prints on stdout once the mesh is ready (services/P2PMesh.Cli/README.md, <c>up</c>),
/// laid out to be copied from an 80-column terminal: a table of short cells that never wrap (peer, PServer
/// <c>host:port</c>, API URL, files seeded: at most 63 columns for 64 peers on five-digit ports), then one plain
/// <c>Label: value</c> line each for the bootstrap, the shares, the state file, the logs and the next commands.
/// Those lines go to the console's writer as they are, not through Spectre's word wrap, which would cut a long
/// path or URL with a hard line break; a terminal soft-wraps them and copies them as one line.
/// </summary>
internal static class UpSummary
{
    /// <summary>Writes the summary to <paramref name="console"/>.</summary>
    /// <param name="console">Where to write (its profile's width is the terminal's; plain lines go to its writer).</param>
    /// <param name="settings">What <c>up</c> was asked for.</param>
    /// <param name="state">The mesh as started.</param>
    /// <param name="seeded">Per peer, the files <c>--share-from</c> put in its share; <c>null</c> without <c>--share-from</c>.</param>
    /// <param name="telemetry">The telemetry line (<see cref="UpCommand.Telemetry"/>); <c>null</c> for none.</param>
    /// <param name="broker">The message broker line (<see cref="UpCommand.Broker"/>), never with a password; <c>null</c> for none.</param>
    public static void Write(
        IAnsiConsole console, MeshLaunchSettings settings, MeshState state, IReadOnlyList<IReadOnlyList<string>>? seeded, string? telemetry, string? broker = null)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"P2PMesh: {state.Peers.Count} peer{(state.Peers.Count == 1 ? "" : "s")}")
            .AddColumn(new TableColumn("Peer").NoWrap())
            .AddColumn(new TableColumn("PServer").NoWrap())
            .AddColumn(new TableColumn("API").NoWrap());
        if (seeded is not null)
        {
            table.AddColumn(new TableColumn("Seeded").RightAligned().NoWrap());
        }
        for (var i = 0; i < state.Peers.Count; i++)
        {
            var peer = state.Peers[i];
            var cells = new List<string> { peer.Id, peer.Pserver, peer.Api };
            if (seeded is not null)
            {
                cells.Add(seeded[i].Count.ToString(CultureInfo.InvariantCulture));
            }
            table.AddRow([.. cells.Select(Markup.Escape)]);
        }
        console.Write(table);

        var lines = new List<(string Label, string Value)>
        {
            ("Bootstrap", state.Bootstrap),
            ("Shares", Path.Combine(settings.Directory, "peers", "<peer>", "share")),
            ("State", settings.StateFile),
            ("Logs", state.Logs),
        };
        if (seeded is not null)
        {
            var distinct = seeded.SelectMany(s => s).Distinct(StringComparer.Ordinal).Count();
            lines.Add(("Seeded", $"{distinct} files from {settings.ShareFrom} ({seeded.Sum(s => s.Count) - distinct} of them on two peers)"));
        }
        if (telemetry is not null)
        {
            lines.Add(("Telemetry", telemetry));
        }
        if (broker is not null)
        {
            lines.Add(("Broker", broker));
        }
        var first = state.Peers[0].Api;
        lines.Add(("Try", first.EndsWith(":8080", StringComparison.Ordinal) ? "p2pmesh search '*'" : $"p2pmesh search '*' --api {first}"));
        lines.Add(("Stop", $"Ctrl-C, or p2pmesh down --dir {settings.Directory}"));

        var writer = console.Profile.Out.Writer;
        var width = lines.Max(l => l.Label.Length) + 2;
        foreach (var (label, value) in lines)
        {
            writer.WriteLine($"{(label + ":").PadRight(width)}{value}");
        }
    }
}
