using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using P2PMesh.Cli.Commands.Down;
using P2PMesh.Cli.Commands.Get;
using P2PMesh.Cli.Commands.Ls;
using P2PMesh.Cli.Commands.Peers;
using P2PMesh.Cli.Commands.Ps;
using P2PMesh.Cli.Commands.Put;
using P2PMesh.Cli.Commands.Search;
using P2PMesh.Cli.Commands.Status;
using P2PMesh.Cli.Commands.Up;
using P2PMesh.Cli.Commands.Watch;

namespace P2PMesh.Cli;

/// <summary>The <c>p2pmesh</c> command tree, and its invocation with the CLI's exit codes (a parse error exits 2).</summary>
internal static class CliParser
{
    /// <summary>The command name, also when run as <c>dotnet P2PMesh.Cli.dll</c> (a RootCommand would call itself after the dll).</summary>
    public const string Name = "p2pmesh";

    private static readonly Lazy<Command> Root = new(Create);

    public static Command RootCommand => Root.Value;

    /// <summary>How long a Ctrl-C'd or SIGTERM'd command may take to clean up (up: stop every child) before the process exits anyway.</summary>
    public static readonly TimeSpan TerminationTimeout = TimeSpan.FromSeconds(30);

    public static ParseResult Parse(IReadOnlyList<string> args) => RootCommand.Parse(args);

    /// <summary>
    /// Parses and runs <paramref name="args"/>. Output goes to <paramref name="configuration"/>'s
    /// Output/Error (tests pass StringWriters and no ProcessTerminationTimeout, so no signal handlers).
    /// </summary>
    public static async Task<int> InvokeAsync(IReadOnlyList<string> args, InvocationConfiguration configuration, CancellationToken cancellationToken = default)
    {
        var parseResult = Parse(args);
        if (parseResult.Action is ParseErrorAction parseError)
        {
            // The errors and one line of advice, not the whole help page.
            parseError.ShowHelp = false;
            await parseResult.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
            var command = string.Join(' ', parseResult.CommandResult.Command.Parents.OfType<Command>().Reverse().Select(c => c.Name).Append(parseResult.CommandResult.Command.Name));
            await configuration.Error.WriteLineAsync($"Run '{command} --help' for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        return await parseResult.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }

    private static Command Create() => new(Name, "Run a local P2PMesh, and search, get and put files through a PClient-API")
    {
        new HelpOption(),
        new VersionOption(),
        UpCommandDefinition.Create(),
        PsCommandDefinition.Create(),
        DownCommandDefinition.Create(),
        SearchCommandDefinition.Create(),
        GetCommandDefinition.Create(),
        PutCommandDefinition.Create(),
        LsCommandDefinition.Create(),
        PeersCommandDefinition.Create(),
        StatusCommandDefinition.Create(),
        WatchCommandDefinition.Create(),
    };
}
