using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using P2PMesh.Cli.Api;
using P2PMesh.Cli.Rendering;

namespace P2PMesh.Cli.Commands.Status;

/// <summary>
/// <c>/readyz</c>, then (when ready) <c>/api/peers</c> and <c>/api/files</c>, summed up in a few lines
/// or one JSON object. Exit 0 when ready, 1 when the API is up but its PServer is not, 3 when the API
/// cannot be reached.
/// </summary>
internal sealed class StatusCommand(ParseResult parseResult)
{
    public Task<int> ExecuteAsync(CancellationToken cancellationToken) =>
        ApiCommandRunner.RunAsync(parseResult, StatusCommandDefinition.ApiOption, RunAsync, cancellationToken);

    private async Task<int> RunAsync(PClientApiClient api, CliConsole console, CancellationToken cancellationToken)
    {
        var (ready, detail) = await api.GetReadinessAsync(cancellationToken);
        var report = new StatusReport(api.BaseAddress.ToString(), ready, detail, null, null, null, null, null, null);
        if (ready)
        {
            try
            {
                var peers = (await api.GetPeersAsync(cancellationToken)).Value;
                var files = (await api.ListFilesAsync(cancellationToken)).Value;
                report = report with
                {
                    PeerId = peers.Self.Id,
                    PServer = peers.Self.Address,
                    Neighbours = peers.Neighbours.Count,
                    HealthyNeighbours = peers.Neighbours.Count(n => n.Healthy == true),
                    Files = files.Count,
                    Bytes = files.Sum(f => f.Size),
                };
            }
            catch (ApiProblemException e)
            {
                // Ready a moment ago; report what failed rather than fail the whole summary.
                report = report with { Ready = false, Detail = e.Message };
            }
        }

        if (parseResult.GetValue(StatusCommandDefinition.JsonOption))
        {
            await console.Out.WriteLineAsync(JsonSerializer.Serialize(report, CliJsonContext.Default.StatusReport).AsMemory(), cancellationToken);
        }
        else
        {
            var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
            grid.AddRow("[bold]API[/]", $"{Markup.Escape(report.Api)} {(report.Ready ? "[green]ready[/]" : "[red]not ready[/]")}");
            if (report.Detail is not null)
            {
                grid.AddRow("", Markup.Escape(report.Detail));
            }
            if (report.PeerId is not null)
            {
                grid.AddRow("[bold]Peer[/]", $"{Markup.Escape(report.PeerId)} (PServer {Markup.Escape(report.PServer ?? "?")})");
                grid.AddRow("[bold]Neighbours[/]", $"{report.Neighbours} ({report.HealthyNeighbours} healthy)");
                grid.AddRow("[bold]Files[/]", $"{report.Files} ({Markup.Escape(Format.Bytes(report.Bytes ?? 0))})");
            }
            console.Ansi.Write(grid);
        }
        return report.Ready ? ExitCodes.Success : ExitCodes.Failure;
    }
}
