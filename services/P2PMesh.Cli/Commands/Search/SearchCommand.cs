using System.CommandLine;
using Spectre.Console;
using P2PMesh.Cli.Api;
using P2PMesh.Cli.Rendering;
using P2PMesh.PClientApi.Contracts;

namespace P2PMesh.Cli.Commands.Search;

/// <summary>
/// <c>GET /api/search</c>: a table of the files found (exit 0 also when nothing matched), which path answered and
/// its cost (docs/architecture.md, Search modes), and with <c>--explain</c> the flood tree (a directory or mom answer
/// has none, and says so). <c>--json</c> prints the API's answer as is.
/// </summary>
internal sealed class SearchCommand(ParseResult parseResult)
{
    public Task<int> ExecuteAsync(CancellationToken cancellationToken) =>
        ApiCommandRunner.RunAsync(parseResult, SearchCommandDefinition.ApiOption, RunAsync, cancellationToken);

    private async Task<int> RunAsync(PClientApiClient api, CliConsole console, CancellationToken cancellationToken)
    {
        var pattern = CommonOptions.SinglePattern(parseResult, SearchCommandDefinition.PatternArgument);
        var explain = parseResult.GetValue(SearchCommandDefinition.ExplainOption);
        var via = parseResult.GetRequiredValue(SearchCommandDefinition.ViaOption);
        var result = await api.SearchAsync(pattern, parseResult.GetValue(SearchCommandDefinition.TtlOption), explain, via, cancellationToken);

        if (parseResult.GetValue(SearchCommandDefinition.JsonOption))
        {
            await console.Out.WriteLineAsync(result.Json.AsMemory(), cancellationToken);
            return ExitCodes.Success;
        }

        var search = result.Value;
        if (explain && search.Stats is { AnsweredBy: not SearchModes.Flood } answered)
        {
            console.Ansi.MarkupLine($"[grey]{Markup.Escape(NoFloodTree(answered))}[/]");
        }
        else if (explain && search.Edges is not null)
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

    /// <summary>What <c>--explain</c> says when no flood answered: there is no tree to draw.</summary>
    internal static string NoFloodTree(FloodStatsDto stats) =>
        $"{(stats.AnsweredBy == SearchModes.Mom ? "The message bus" : "The directory")} answered: no flood ran, so there is no flood tree to draw (--via flood draws one).";

    /// <summary>
    /// The line under the table: files and sources, which path answered and its cost, the time, and the query id
    /// (as in <c>--json</c>'s <c>queryId</c> and the spans' <c>p2pmesh.query_id</c>, to find the trace), e.g.
    /// <c>1 file, 2 sources · answered by a flood: 5 peers reached, 6 messages, 1 duplicate, deepest peer at hop 2 · 14 ms · query id 3f2a…c7</c>
    /// or <c>3 files, 4 sources · answered by the directory (1 RPC) · 3 ms · query id …</c>.
    /// </summary>
    internal static string Summary(SearchResponse search)
    {
        var files = $"{Format.Count(search.Files.Count, "file")}, {Format.Count(search.Files.Sum(f => f.Sources.Count), "source")}";
        var queryId = $" · query id {search.QueryId}";
        if (search.Stats is not { } stats)
        {
            return $"{files} in {Format.Milliseconds(search.ElapsedMs)}{queryId}";
        }
        return $"{files} · {AnsweredBy(stats)} · {Format.Milliseconds(search.ElapsedMs)}{queryId}";
    }

    /// <summary>
    /// Which path answered and what it cost: "answered by the directory (1 RPC)", "answered over the message bus: 1 request,
    /// 3 replies", "answered by a flood: 5 peers reached, 6 messages, …", or for <c>auto</c>'s fallback "answered by a flood
    /// after the directory had no hits: …" (the reasons are the PServer's, Core/Search/OriginSearch.cs).
    /// </summary>
    internal static string AnsweredBy(FloodStatsDto stats)
    {
        switch (stats.AnsweredBy)
        {
            case SearchModes.Directory:
                return "answered by the directory (1 RPC)";
            case SearchModes.Mom:
                return $"answered over the message bus: 1 request, {Format.Count(Math.Max(0, stats.Messages - 1), "reply").Replace("replys", "replies", StringComparison.Ordinal)}";
        }
        var askedDirectory = stats.FallbackReason is not null && stats.FallbackReason != NoDirectoryReason;
        var messages = Format.Count(stats.Messages, "message") + (askedDirectory ? " (1 to the directory)" : "");
        var trouble = stats.Errors + stats.DeadlineExceeded > 0 ? $", {Format.Count(stats.Errors, "error")}, {stats.DeadlineExceeded} past the deadline" : "";
        return $"answered by a flood{After(stats.FallbackReason)}: {Format.Count(stats.PeersReached, "peer")} reached, {messages}, {Format.Count(stats.Duplicates, "duplicate")}, {Format.DeepestHop(stats.MaxHops)}{trouble}";
    }

    /// <summary>What the file count says about an empty answer, e.g. "the flood reached 3 peers", "the directory has none".</summary>
    internal static string Reach(FloodStatsDto? stats) => stats?.AnsweredBy switch
    {
        SearchModes.Directory => "the directory has none",
        SearchModes.Mom => $"{Format.Count(Math.Max(0, stats.Messages - 1), "peer")} answered on the message bus",
        _ => $"the flood reached {Format.Count(stats?.PeersReached ?? 0, "peer")}",
    };

    // fallback_reason as the PServer words it (protos/p2pmesh/v1/peer.proto, FloodStats.fallback_reason).
    private const string NoDirectoryReason = "no directory configured";
    private const string NoHitsReason = "no hits in the directory";
    private const string UnreachablePrefix = "directory unreachable: ";

    private static string After(string? reason) => reason switch
    {
        null or "" => "",
        NoHitsReason => " after the directory had no hits",
        NoDirectoryReason => " (no directory configured)",
        _ when reason.StartsWith(UnreachablePrefix, StringComparison.Ordinal) => $" after the directory was unreachable ({reason[UnreachablePrefix.Length..]})",
        _ => $" ({reason})",
    };
}
