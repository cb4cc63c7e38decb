using System.CommandLine;
using Spectre.Console;
using P2PMesh.Cli.Api;
using P2PMesh.Cli.Rendering;

namespace P2PMesh.Cli.Commands.Watch;

/// <summary>
/// <c>GET /api/watch</c>: one line per file as it is added anywhere in the mesh (time, name, size, holder and its
/// address, short hash), or with <c>--json</c> each event's JSON on a line of its own (NDJSON), until Ctrl-C (exit 130).
/// An API without <c>Mom:Uri</c> answers 501, printed as the API says it (exit 1); an API that ends the stream is exit 3.
/// </summary>
internal sealed class WatchCommand(ParseResult parseResult)
{
    public Task<int> ExecuteAsync(CancellationToken cancellationToken) =>
        ApiCommandRunner.RunAsync(parseResult, WatchCommandDefinition.ApiOption, RunAsync, cancellationToken);

    private async Task<int> RunAsync(PClientApiClient api, CliConsole console, CancellationToken cancellationToken)
    {
        var pattern = CommonOptions.SinglePattern(parseResult, WatchCommandDefinition.PatternArgument);
        var json = parseResult.GetValue(WatchCommandDefinition.JsonOption);
        await foreach (var (file, raw) in api.WatchAsync(pattern, () => console.WriteHint($"watching {pattern} through {api.BaseAddress} (Ctrl-C to stop)"), cancellationToken))
        {
            if (json)
            {
                await console.Out.WriteLineAsync(raw.AsMemory(), cancellationToken);
                await console.Out.FlushAsync(cancellationToken);
                continue;
            }
            console.Ansi.MarkupLineInterpolated(
                $"[grey]{file.OccurredAt.ToLocalTime():HH:mm:ss}[/] [bold]{file.Name}[/] {Format.Bytes(file.Size)} on {file.PeerId} ({file.Address}) [grey]{Format.ShortHash(file.Sha256)}[/]");
        }
        console.WriteError($"the PClient-API at {api.BaseAddress} ended the watch.");
        return ExitCodes.Unreachable;
    }
}
