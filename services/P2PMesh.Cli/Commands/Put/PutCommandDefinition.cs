using System.CommandLine;

namespace P2PMesh.Cli.Commands.Put;

/// <summary><c>p2pmesh put FILE [--to PEER] [--name NAME] [--json] [--api URL]</c>.</summary>
internal static class PutCommandDefinition
{
    public const string Name = "put";

    /// <summary>The file: it must exist and be a file (a directory or a missing path is a usage error, exit 2).</summary>
    public static readonly Argument<FileInfo> FileArgument = CreateFileArgument();

    private static Argument<FileInfo> CreateFileArgument()
    {
        var argument = new Argument<FileInfo>("file") { Description = "The file to store" };
        argument.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<FileInfo>() is not { } file)
            {
                return;
            }
            if (Directory.Exists(file.FullName))
            {
                result.AddError($"{Name} takes a file; '{file.FullName}' is a directory.");
            }
            else if (!file.Exists)
            {
                result.AddError($"{Name}: no such file '{file.FullName}'.");
            }
        });
        return argument;
    }

    public static readonly Option<string?> ToOption = new("--to")
    {
        Description = "The peer to store it at: a peer id (the API's own peer or one of its neighbours) or a PServer host:port. Default: the API's own peer",
        HelpName = "PEER",
    };

    public static readonly Option<string?> NameOption = new("--name")
    {
        Description = "The name to store it under, relative to the share (default: the file's name)",
        HelpName = "NAME",
    };

    public static readonly Option<bool> JsonOption = CommonOptions.CreateJsonOption();

    public static readonly Option<Uri?> ApiOption = CommonOptions.CreateApiOption();

    public static Command Create()
    {
        var command = new Command(Name, "Store a file in a peer's share (hashed here, then streamed with a progress bar)")
        {
            FileArgument, ToOption, NameOption, JsonOption, ApiOption,
        };
        command.SetAction((parseResult, cancellationToken) => new PutCommand(parseResult).ExecuteAsync(cancellationToken));
        return command;
    }
}
