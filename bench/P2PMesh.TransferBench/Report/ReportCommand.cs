using System.Text.Json.Nodes;
using P2PMesh.Bench.Shared;

namespace P2PMesh.TransferBench.Report;

/// <summary>
/// <c>report</c>: reads the JSON lines that bench/transfer-run.sh collected (its own and those of the
/// other subcommands) and replaces the transfer-bench block of the results file with the tables.
/// </summary>
internal static class ReportCommand
{
    public static async Task<int> RunAsync(CommandArgs args)
    {
        var input = args.Required("input");
        var results = args.Required("results");
        var command = args.Required("command");
        var lines = new List<(JsonObject Node, string Text)>();
        foreach (var text in await File.ReadAllLinesAsync(input))
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }
            if (JsonNode.Parse(text) is not JsonObject node)
            {
                throw new ArgumentException($"{input}: not a JSON object: {text}");
            }
            lines.Add((node, text));
        }
        var block = ResultsSection.Render(await MachineInfo.CollectAsync(), command, lines);
        await ResultsSection.Block.WriteIntoAsync(results, block);
        Console.Error.WriteLine($"wrote the transfer-bench block of {results}");
        return 0;
    }
}
