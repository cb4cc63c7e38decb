using System.CommandLine;
using Spectre.Console;

namespace P2PMesh.Cli;

/// <summary>
/// Where a command writes: plain writers for JSON and errors, and Spectre consoles over the same writers
/// for tables, trees and progress bars. Built from the invocation's Output/Error, so tests capture
/// everything with <see cref="StringWriter"/>s (plain text, no ANSI, never interactive).
/// </summary>
internal sealed class CliConsole
{
    private CliConsole(TextWriter output, TextWriter error, IAnsiConsole ansi, IAnsiConsole ansiError)
    {
        Out = output;
        Error = error;
        Ansi = ansi;
        AnsiError = ansiError;
    }

    /// <summary>Standard output, for results (JSON with <c>--json</c>).</summary>
    public TextWriter Out { get; }

    /// <summary>Standard error, for diagnostics.</summary>
    public TextWriter Error { get; }

    /// <summary>Tables and trees on standard output.</summary>
    public IAnsiConsole Ansi { get; }

    /// <summary>Progress bars and status spinners on standard error, so that stdout stays clean for pipes.</summary>
    public IAnsiConsole AnsiError { get; }

    /// <summary>Whether progress bars can be drawn (stderr is a terminal).</summary>
    public bool CanShowProgress => AnsiError.Profile.Capabilities.Interactive;

    public static CliConsole For(ParseResult parseResult) =>
        From(parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error);

    public static CliConsole From(TextWriter output, TextWriter error) => new(output, error,
        Create(output, isTerminal: ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected),
        Create(error, isTerminal: ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected));

    /// <summary>Writes <c>p2pmesh: message</c> to standard error.</summary>
    public void WriteError(string message) => AnsiError.MarkupLineInterpolated($"[red]p2pmesh:[/] {message}");

    /// <summary>Writes a hint (grey on terminals) to standard error.</summary>
    public void WriteHint(string message) => AnsiError.MarkupLineInterpolated($"[grey]{message}[/]");

    private static IAnsiConsole Create(TextWriter writer, bool isTerminal)
    {
        if (isTerminal)
        {
            // Spectre detects colours, width and NO_COLOR itself.
            return AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
        }
        // A pipe, a file or a test's StringWriter: plain text, long lines, no live rendering.
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 200;
        return console;
    }
}
