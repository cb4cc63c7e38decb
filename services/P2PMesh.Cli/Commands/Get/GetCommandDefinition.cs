using System.CommandLine;

namespace P2PMesh.Cli.Commands.Get;

/// <summary><c>p2pmesh get SHA256|PATTERN [--out DIR] [--via flood|directory|auto|mom] [--ttl N] [--json] [--api URL]</c>.</summary>
internal static class GetCommandDefinition
{
    public const string Name = "get";

    /// <summary>The hash or pattern: one value (quote a glob, or the shell expands it: see <see cref="CommonOptions.CreatePatternArgument"/>).</summary>
    public static readonly Argument<string[]> TargetArgument = CommonOptions.CreatePatternArgument(
        Name, "target", "SHA256|PATTERN", "The file's SHA-256 (64 hex digits, optionally sha256:-prefixed), or a name pattern (quote it) that matches exactly one file");

    /// <summary><c>--out DIR</c>: a directory (created if missing); an existing file there is a usage error (exit 2).</summary>
    public static readonly Option<DirectoryInfo?> OutOption = CreateOutOption();

    private static Option<DirectoryInfo?> CreateOutOption()
    {
        var option = new Option<DirectoryInfo?>("--out", "-o")
        {
            Description = "Also copy the finished file from the API's peer into this directory (created if missing) and verify its SHA-256 here",
            HelpName = "DIR",
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<DirectoryInfo?>() is { } directory && File.Exists(directory.FullName))
            {
                result.AddError($"--out must be a directory; '{directory.FullName}' is a file.");
            }
        });
        return option;
    }

    /// <summary><c>--via</c>: how the sources are found (a hash with the default, auto, lets the API search).</summary>
    public static readonly Option<string> ViaOption = CommonOptions.CreateViaOption();

    public static readonly Option<int?> TtlOption = CommonOptions.CreateTtlOption();

    public static readonly Option<bool> JsonOption = CommonOptions.CreateJsonOption();

    public static readonly Option<Uri?> ApiOption = CommonOptions.CreateApiOption();

    public static Command Create()
    {
        var command = new Command(Name, "Download a file into the API's peer (from every peer that holds it), with a live progress bar; Ctrl-C cancels")
        {
            TargetArgument, OutOption, ViaOption, TtlOption, JsonOption, ApiOption,
        };
        command.SetAction((parseResult, cancellationToken) => new GetCommand(parseResult).ExecuteAsync(cancellationToken));
        return command;
    }
}
