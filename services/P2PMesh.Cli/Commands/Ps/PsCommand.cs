using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using P2PMesh.Cli.LocalMesh;

namespace P2PMesh.Cli.Commands.Ps;

/// <summary>
/// Reads a mesh directory (<see cref="MeshDirectory.Inspect"/>) and prints what runs there: one line for the
/// mesh (directory, <c>up</c> pid, running or starting), the state file, then one line per process (name, pid,
/// alive, address; the address last, so it is never cut). <c>--json</c> prints a <see cref="PsReport"/>. Exit 0
/// while an <c>up</c> holds the directory (even if some of its processes died: the lines say which); 1 when
/// none does, with the stale state of a dead one named (services/P2PMesh.Cli/README.md, <c>ps</c>).
/// </summary>
internal sealed class PsCommand(ParseResult parseResult)
{
    public async Task<int> ExecuteAsync(CancellationToken cancellationToken)
    {
        var console = CliConsole.For(parseResult);
        var directory = new MeshDirectory(parseResult.GetRequiredValue(PsCommandDefinition.DirectoryOption).FullName);
        var snapshot = directory.Inspect();
        var report = PsReport.From(snapshot);

        if (parseResult.GetValue(PsCommandDefinition.JsonOption))
        {
            await console.Out.WriteLineAsync(JsonSerializer.Serialize(report, CliJsonContext.Default.PsReport).AsMemory(), cancellationToken);
        }
        else if (snapshot.Running)
        {
            var pid = report.Pid?.ToString(CultureInfo.InvariantCulture) ?? "unknown";
            await console.Out.WriteLineAsync($"mesh in {report.Directory}: up pid {pid}, {(report.Bootstrap is null ? "starting (no state yet)" : "running")}");
            await WriteProcessesAsync(console.Out, report);
        }
        else if (snapshot.IsStale)
        {
            await WriteProcessesAsync(console.Out, report);
        }

        if (!snapshot.Running)
        {
            console.WriteError(snapshot.IsStale
                ? $"no mesh runs in {report.Directory}; up pid {report.Pid} stopped without cleaning up (its state: {report.StateFile}); p2pmesh down --dir {report.Directory} removes it"
                : $"no mesh runs in {report.Directory}");
            return ExitCodes.Failure;
        }
        return ExitCodes.Success;
    }

    private static async Task WriteProcessesAsync(TextWriter output, PsReport report)
    {
        if (report.Bootstrap is null)
        {
            return;
        }
        await output.WriteLineAsync($"state: {report.StateFile}");
        var processes = report.Processes().ToList();
        var nameWidth = Math.Max("PROCESS".Length, processes.Max(p => p.Name.Length)) + 2;
        await output.WriteLineAsync($"{"PROCESS".PadRight(nameWidth)}{"PID",-9}{"ALIVE",-7}ADDRESS");
        foreach (var process in processes)
        {
            var pid = process.Pid?.ToString(CultureInfo.InvariantCulture) ?? "-";
            await output.WriteLineAsync($"{process.Name.PadRight(nameWidth)}{pid,-9}{(process.Alive ? "yes" : "no"),-7}{process.Address}");
        }
    }
}
