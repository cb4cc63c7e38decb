using System.CommandLine;

namespace P2PMesh.Cli.Commands.Ls;

/// <summary><c>p2pmesh ls [--json] [--api URL]</c>.</summary>
internal static class LsCommandDefinition
{
    public const string Name = "ls";

    public static readonly Option<bool> JsonOption = CommonOptions.CreateJsonOption();

    public static readonly Option<Uri?> ApiOption = CommonOptions.CreateApiOption();

    public static Command Create()
    {
        var command = new Command(Name, "List the files the API's peer shares") { JsonOption, ApiOption };
        command.SetAction((parseResult, cancellationToken) => new LsCommand(parseResult).ExecuteAsync(cancellationToken));
        return command;
    }
}
