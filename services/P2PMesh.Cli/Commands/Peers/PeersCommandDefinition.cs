using System.CommandLine;

namespace P2PMesh.Cli.Commands.Peers;

/// <summary><c>p2pmesh peers [--json] [--api URL]</c>.</summary>
internal static class PeersCommandDefinition
{
    public const string Name = "peers";

    public static readonly Option<bool> JsonOption = CommonOptions.CreateJsonOption();

    public static readonly Option<Uri?> ApiOption = CommonOptions.CreateApiOption();

    public static Command Create()
    {
        var command = new Command(Name, "Show the API's peer and its neighbours, each pinged") { JsonOption, ApiOption };
        command.SetAction((parseResult, cancellationToken) => new PeersCommand(parseResult).ExecuteAsync(cancellationToken));
        return command;
    }
}
