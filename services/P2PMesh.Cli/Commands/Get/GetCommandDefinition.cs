using System.CommandLine;

namespace P2PMesh.Cli.Commands.Get;

/// <summary><c>p2pmesh get SHA256|PATTERN [--out DIR] [--ttl N] [--json] [--api URL]</c>.</summary>
internal static class GetCommandDefinition
{
    public const string Name = "get";

    public static readonly Argument<string> TargetArgument = new("target")
    {
        Description = "The file's SHA-256 (64 hex digits, optionally sha256:-prefixed), or a name pattern that matches exactly one file",
        HelpName = "SHA256|PATTERN",
    };

    public static readonly Option<DirectoryInfo?> OutOption = new("--out", "-o")
    {
        Description = "Also copy the finished file from the API's peer into this directory and verify its SHA-256 here",
        HelpName = "DIR",
    };

    public static readonly Option<int?> TtlOption = CommonOptions.CreateTtlOption();

    public static readonly Option<bool> JsonOption = CommonOptions.CreateJsonOption();

    public static readonly Option<Uri?> ApiOption = CommonOptions.CreateApiOption();

    public static Command Create()
    {
        var command = new Command(Name, "Download a file into the API's peer (from every peer that holds it), with a live progress bar; Ctrl-C cancels")
        {
            TargetArgument, OutOption, TtlOption, JsonOption, ApiOption,
        };
        command.SetAction((parseResult, cancellationToken) => new GetCommand(parseResult).ExecuteAsync(cancellationToken));
        return command;
    }
}
