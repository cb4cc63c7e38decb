using System.CommandLine;
using Spectre.Console;
using P2PMesh.Cli.Api;
using P2PMesh.Cli.Rendering;

namespace P2PMesh.Cli.Commands.Ls;

/// <summary><c>GET /api/files</c> as a table (name, size, hash, chunks), or as is with <c>--json</c>.</summary>
internal sealed class LsCommand(ParseResult parseResult)
{
    public Task<int> ExecuteAsync(CancellationToken cancellationToken) =>
        ApiCommandRunner.RunAsync(parseResult, LsCommandDefinition.ApiOption, RunAsync, cancellationToken);

    private async Task<int> RunAsync(PClientApiClient api, CliConsole console, CancellationToken cancellationToken)
    {
        var result = await api.ListFilesAsync(cancellationToken);
        if (parseResult.GetValue(LsCommandDefinition.JsonOption))
        {
            await console.Out.WriteLineAsync(result.Json.AsMemory(), cancellationToken);
            return ExitCodes.Success;
        }
        var files = result.Value;
        if (files.Count == 0)
        {
            console.Ansi.MarkupLineInterpolated($"The share behind {api.BaseAddress} is empty.");
            return ExitCodes.Success;
        }
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("Name")
            .AddColumn(new TableColumn("Size").RightAligned())
            .AddColumn("SHA-256")
            .AddColumn(new TableColumn("Chunks").RightAligned());
        foreach (var file in files.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            var chunks = file.ChunkSize > 0 ? (file.Size + file.ChunkSize - 1) / file.ChunkSize : 0;
            table.AddRow(Markup.Escape(file.Name), Format.Bytes(file.Size), Format.ShortHash(file.Sha256), chunks.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        console.Ansi.Write(table);
        console.Ansi.MarkupLine($"[grey]{files.Count} file{(files.Count == 1 ? "" : "s")}, {Markup.Escape(Format.Bytes(files.Sum(f => f.Size)))}[/]");
        return ExitCodes.Success;
    }
}
