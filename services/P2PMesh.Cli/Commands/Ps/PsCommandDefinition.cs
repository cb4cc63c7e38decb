using System.CommandLine;
using P2PMesh.Cli.Commands.Up;

namespace P2PMesh.Cli.Commands.Ps;

/// <summary><c>p2pmesh ps [--dir DIR] [--json]</c>.</summary>
internal static class PsCommandDefinition
{
    public const string Name = "ps";

    public static readonly Option<DirectoryInfo> DirectoryOption = UpCommandDefinition.CreateDirectoryOption();

    public static readonly Option<bool> JsonOption = CommonOptions.CreateJsonOption();

    public static Command Create()
    {
        var command = new Command(Name,
            "Show the local mesh that `up` runs in a directory: its pid, the bootstrap and each peer's PServer and API with their pids, alive or not (exit 1 when none runs)")
        {
            DirectoryOption, JsonOption,
        };
        command.SetAction((parseResult, cancellationToken) => new PsCommand(parseResult).ExecuteAsync(cancellationToken));
        return command;
    }
}
