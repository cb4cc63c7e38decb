using System.CommandLine;

namespace P2PMesh.Cli.Commands.Watch;

/// <summary><c>p2pmesh watch PATTERN [--json] [--api URL]</c>.</summary>
internal static class WatchCommandDefinition
{
    public const string Name = "watch";

    /// <summary>The pattern: one value (quote a glob, or the shell expands it: see <see cref="CommonOptions.CreatePatternArgument"/>).</summary>
    public static readonly Argument<string[]> PatternArgument = CommonOptions.CreatePatternArgument(
        Name, "pattern", "PATTERN", "A case-insensitive glob on file names ('*.iso'; quote it), or sha256:<64 hex>");

    public static readonly Option<bool> JsonOption = CommonOptions.CreateJsonOption();

    public static readonly Option<Uri?> ApiOption = CommonOptions.CreateApiOption();

    public static Command Create()
    {
        var command = new Command(Name,
            "Print each file matching PATTERN the moment any peer adds it, until Ctrl-C (GET /api/watch; the mesh needs a message broker: up --mom)")
        {
            PatternArgument, JsonOption, ApiOption,
        };
        command.SetAction((parseResult, cancellationToken) => new WatchCommand(parseResult).ExecuteAsync(cancellationToken));
        return command;
    }
}
