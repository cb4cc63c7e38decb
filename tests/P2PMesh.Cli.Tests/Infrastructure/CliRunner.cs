using System.CommandLine;

namespace P2PMesh.Cli.Tests.Infrastructure;

/// <summary>Runs <c>p2pmesh</c> in this process, exactly as Program.cs does, with stdout and stderr captured (and no signal handlers).</summary>
internal static class CliRunner
{
    public static async Task<CliRun> RunAsync(params string[] args) => await RunAsync(args, CancellationToken.None);

    public static async Task<CliRun> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CliParser.InvokeAsync(args, new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null }, cancellationToken);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }
}
