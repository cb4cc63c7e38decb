using System.CommandLine;
using P2PMesh.Cli.Commands.Up;

namespace P2PMesh.Cli.Commands.Down;

/// <summary><c>p2pmesh down [--dir DIR] [--timeout SECONDS]</c>.</summary>
internal static class DownCommandDefinition
{
    public const string Name = "down";

    public static readonly Option<DirectoryInfo> DirectoryOption = UpCommandDefinition.CreateDirectoryOption();

    /// <summary>Enough for <c>up</c>'s own stop: three groups of children, each 5 s to SIGTERM and 5 s to SIGKILL.</summary>
    public static readonly Option<int> TimeoutOption = new("--timeout")
    {
        Description = "Seconds to wait for up to stop its processes and exit",
        HelpName = "SECONDS",
        DefaultValueFactory = _ => 60,
        CustomParser = result => CommonOptions.ParseInt(result, "--timeout", 1, 3600),
    };

    public static Command Create()
    {
        var command = new Command(Name,
            "Stop the local mesh that `up` runs in a directory (SIGTERM to up, which stops every process), and wait until it has; " +
            "cleans up the state a killed up left behind (exit 1 when no mesh runs)")
        {
            DirectoryOption, TimeoutOption,
        };
        command.SetAction((parseResult, cancellationToken) => new DownCommand(parseResult).ExecuteAsync(cancellationToken));
        return command;
    }
}
