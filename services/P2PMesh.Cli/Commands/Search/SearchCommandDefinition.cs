using System.CommandLine;

namespace P2PMesh.Cli.Commands.Search;

/// <summary><c>p2pmesh search PATTERN [--via flood|directory|auto|mom] [--ttl N] [--explain] [--json] [--api URL]</c>.</summary>
internal static class SearchCommandDefinition
{
    public const string Name = "search";

    /// <summary>The pattern: one value (quote a glob, or the shell expands it: see <see cref="CommonOptions.CreatePatternArgument"/>).</summary>
    public static readonly Argument<string[]> PatternArgument = CommonOptions.CreatePatternArgument(
        Name, "pattern", "PATTERN", "A case-insensitive glob on file names ('*.iso', 'notes-?.txt'; quote it), or sha256:<64 hex>");

    public static readonly Option<string> ViaOption = CommonOptions.CreateViaOption();

    public static readonly Option<int?> TtlOption = CommonOptions.CreateTtlOption();

    public static readonly Option<bool> ExplainOption = new("--explain")
    {
        Description = "Also draw the flood as a tree: every forward with the peer, hops, outcome and time (a directory or mom answer has none)",
    };

    public static readonly Option<bool> JsonOption = CommonOptions.CreateJsonOption();

    public static readonly Option<Uri?> ApiOption = CommonOptions.CreateApiOption();

    public static Command Create()
    {
        var command = new Command(Name, "Search the mesh (by default the directory, then a flood) and list the files found, with every peer that holds each")
        {
            PatternArgument, ViaOption, TtlOption, ExplainOption, JsonOption, ApiOption,
        };
        command.SetAction((parseResult, cancellationToken) => new SearchCommand(parseResult).ExecuteAsync(cancellationToken));
        return command;
    }
}
