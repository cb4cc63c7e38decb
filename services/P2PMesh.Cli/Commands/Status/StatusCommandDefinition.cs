using System.CommandLine;

namespace P2PMesh.Cli.Commands.Status;

/// <summary><c>p2pmesh status [--json] [--api URL]</c>.</summary>
internal static class StatusCommandDefinition
{
    public const string Name = "status";

    public static readonly Option<bool> JsonOption = CommonOptions.CreateJsonOption();

    public static readonly Option<Uri?> ApiOption = CommonOptions.CreateApiOption();

    public static Command Create()
    {
        var command = new Command(Name, "Summarise the API's peer: ready or not, neighbours, shared files (exit 1 when not ready)") { JsonOption, ApiOption };
        command.SetAction((parseResult, cancellationToken) => new StatusCommand(parseResult).ExecuteAsync(cancellationToken));
        return command;
    }
}
