using System.CommandLine;

namespace P2PMesh.Cli.Commands.Put;

/// <summary><c>p2pmesh put FILE [--to PEER] [--name NAME] [--json] [--api URL]</c>.</summary>
internal static class PutCommandDefinition
{
    public const string Name = "put";

    public static readonly Argument<FileInfo> FileArgument = new Argument<FileInfo>("file")
    {
        Description = "The file to store",
    }.AcceptExistingOnly();

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
