using System.CommandLine;
using Spectre.Console;
using P2PMesh.Cli.Api;
using P2PMesh.Cli.Rendering;
using P2PMesh.PClientApi.Contracts;

namespace P2PMesh.Cli.Commands.Search;

/// <summary>
/// <c>GET /api/search</c>: a table of the files found (exit 0 also when nothing matched), the flood's
/// statistics, and with <c>--explain</c> the flood tree. <c>--json</c> prints the API's answer as is.
/// </summary>
internal sealed class SearchCommand(ParseResult parseResult)
{
    public Task<int> ExecuteAsync(CancellationToken cancellationToken) =>
        ApiCommandRunner.RunAsync(parseResult, SearchCommandDefinition.ApiOption, RunAsync, cancellationToken);

    private async Task<int> RunAsync(PClientApiClient api, CliConsole console, CancellationToken cancellationToken)
    {
        var pattern = CommonOptions.SinglePattern(parseResult, SearchCommandDefinition.PatternArgument);
        var explain = parseResult.GetValue(SearchCommandDefinition.ExplainOption);
        var result = await api.SearchAsync(pattern, parseResult.GetValue(SearchCommandDefinition.TtlOption), explain, cancellationToken);

        if (parseResult.GetValue(SearchCommandDefinition.JsonOption))
        {
            await console.Out.WriteLineAsync(result.Json.AsMemory(), cancellationToken);
            return ExitCodes.Success;
        }

        var search = result.Value;
        if (explain && search.Edges is not null)
        {
            console.Ansi.Write(FloodTreeRenderer.Render(search));
            console.Ansi.WriteLine();
        }
        if (search.Files.Count == 0)
        {
            console.Ansi.MarkupLineInterpolated($"No file matches [bold]{search.Pattern}[/].");
        }
        else
        {
            console.Ansi.Write(FilesTable(search.Files));
        }
        console.Ansi.MarkupLine($"[grey]{Markup.Escape(Summary(search))}[/]");
        return ExitCodes.Success;
    }

    /// <summary>One row per distinct file: names, size, hash, and its holders as peer(hops).</summary>
    internal static Table FilesTable(IReadOnlyList<SearchFile> files)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("Name")
            .AddColumn(new TableColumn("Size").RightAligned())
            .AddColumn("SHA-256")
            .AddColumn("Sources (peer, hops)");
        foreach (var file in files)
        {
            table.AddRow(
                Markup.Escape(string.Join(Environment.NewLine, file.Names)),
                Format.Bytes(file.Size),
                Format.ShortHash(file.Sha256),
                Markup.Escape(string.Join(", ", file.Sources.Select(s => $"{s.PeerId} ({s.Hops})"))));
        }
        return table;
    }

    /// <summary>
    /// The line under the table: files and sources, the flood's statistics, the time, and the query id
    /// (as in <c>--json</c>'s <c>queryId</c> and the spans' <c>p2pmesh.query_id</c>, to find the trace), e.g.
    /// <c>1 file, 2 sources · flood: 5 peers reached, 6 messages, 1 duplicate, deepest peer at hop 2 · 14 ms · query id 3f2a…c7</c>.
    /// </summary>
    private static string Summary(SearchResponse search)
    {
        var files = $"{Format.Count(search.Files.Count, "file")}, {Format.Count(search.Files.Sum(f => f.Sources.Count), "source")}";
        var queryId = $" · query id {search.QueryId}";
        if (search.Stats is not { } stats)
        {
            return $"{files} in {Format.Milliseconds(search.ElapsedMs)}{queryId}";
        }
        var trouble = stats.Errors + stats.DeadlineExceeded > 0 ? $", {Format.Count(stats.Errors, "error")}, {stats.DeadlineExceeded} past the deadline" : "";
        return $"{files} · flood: {Format.Count(stats.PeersReached, "peer")} reached, {Format.Count(stats.Messages, "message")}, {Format.Count(stats.Duplicates, "duplicate")}, {Format.DeepestHop(stats.MaxHops)}{trouble} · {Format.Milliseconds(search.ElapsedMs)}{queryId}";
    }
}
