using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using P2PMesh.Cli.Api;
using P2PMesh.PClientApi.Contracts;

namespace P2PMesh.Cli.Commands.Peers;

/// <summary><c>GET /api/peers</c> as a table (peer, address, role, health, round trip), or as is with <c>--json</c>.</summary>
internal sealed class PeersCommand(ParseResult parseResult)
{
    public Task<int> ExecuteAsync(CancellationToken cancellationToken) =>
        ApiCommandRunner.RunAsync(parseResult, PeersCommandDefinition.ApiOption, RunAsync, cancellationToken);

    private async Task<int> RunAsync(PClientApiClient api, CliConsole console, CancellationToken cancellationToken)
    {
        var result = await api.GetPeersAsync(cancellationToken);
        if (parseResult.GetValue(PeersCommandDefinition.JsonOption))
        {
            await console.Out.WriteLineAsync(result.Json.AsMemory(), cancellationToken);
            return ExitCodes.Success;
        }
        var peers = result.Value;
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("Peer")
            .AddColumn("Address")
            .AddColumn("Role")
            .AddColumn("Healthy")
            .AddColumn(new TableColumn("RTT").RightAligned());
        AddRow(table, peers.Self, "self");
        foreach (var neighbour in peers.Neighbours.OrderBy(n => n.Id, StringComparer.Ordinal))
        {
            AddRow(table, neighbour, "neighbour");
        }
        console.Ansi.Write(table);
        var healthy = peers.Neighbours.Count(n => n.Healthy == true);
        console.Ansi.MarkupLine($"[grey]{peers.Neighbours.Count} neighbour{(peers.Neighbours.Count == 1 ? "" : "s")}, {healthy} healthy[/]");
        return ExitCodes.Success;
    }

    private static void AddRow(Table table, PeerStatus peer, string role) => table.AddRow(
        Markup.Escape(peer.Id),
        Markup.Escape(peer.Address),
        role,
        peer.Healthy switch { true => "[green]yes[/]", false => "[red]no[/]", null => "-" },
        peer.RoundTripMs is { } ms ? ms.ToString("0.0", CultureInfo.InvariantCulture) + " ms" : "-");
}
