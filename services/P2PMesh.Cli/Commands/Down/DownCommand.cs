using System.CommandLine;
using System.Diagnostics;
using P2PMesh.Cli.LocalMesh;

namespace P2PMesh.Cli.Commands.Down;

/// <summary>
/// Stops the mesh of a directory: SIGTERM to the <c>up</c> that holds its lock (which stops its children as on
/// Ctrl-C), then waits until that <c>up</c> has exited and the lock is free, up to <c>--timeout</c>. Exit 0 once
/// stopped; 1 when no mesh runs there (a dead <c>up</c>'s leftover state is then removed and reported, with any of
/// its processes still alive), when the wait times out, or on Windows (no SIGTERM); 130 on Ctrl-C
/// (services/P2PMesh.Cli/README.md, <c>down</c>).
/// </summary>
internal sealed class DownCommand(ParseResult parseResult)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    public async Task<int> ExecuteAsync(CancellationToken cancellationToken)
    {
        var console = CliConsole.For(parseResult);
        var directory = new MeshDirectory(parseResult.GetRequiredValue(DownCommandDefinition.DirectoryOption).FullName);
        var timeout = TimeSpan.FromSeconds(parseResult.GetValue(DownCommandDefinition.TimeoutOption));
        try
        {
            return await StopAsync(console, directory, timeout, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Cancelled;
        }
    }

    private static async Task<int> StopAsync(CliConsole console, MeshDirectory directory, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var snapshot = directory.Inspect();
        // An up that has only just taken the lock writes its pid at once; give it that moment.
        for (var i = 0; snapshot.Running && snapshot.Owner is null && i < 20; i++)
        {
            await Task.Delay(Poll, cancellationToken);
            snapshot = directory.Inspect();
        }
        if (!snapshot.Running)
        {
            if (snapshot.IsStale)
            {
                CleanUp(console, snapshot);
            }
            else
            {
                console.WriteError($"no mesh runs in {directory.Path}");
            }
            return ExitCodes.Failure;
        }
        if (snapshot.Owner is not { } owner)
        {
            console.WriteError($"{directory.Path} is locked by an up that names no pid ({directory.PidFile} is missing)");
            return ExitCodes.Failure;
        }
        if (OperatingSystem.IsWindows())
        {
            console.WriteError($"down needs SIGTERM (Unix); stop up pid {owner.Pid} with Ctrl-C in its window");
            return ExitCodes.Failure;
        }

        console.WriteHint($"stopping the mesh in {directory.Path} (up pid {owner.Pid})");
        PosixSignals.TryTerminate(owner.Pid);
        var watch = Stopwatch.StartNew();
        while (PosixSignals.IsAlive(owner.Pid) || directory.IsLocked())
        {
            if (watch.Elapsed >= timeout)
            {
                console.WriteError($"up pid {owner.Pid} still runs after {timeout.TotalSeconds:0} s; " +
                    $"kill -KILL {owner.Pid} ends it (its watchdog then stops the children)");
                return ExitCodes.Failure;
            }
            await Task.Delay(Poll, cancellationToken);
        }

        var processes = snapshot.State?.Processes ?? [];
        await console.Out.WriteLineAsync($"stopped the mesh in {directory.Path}: up pid {owner.Pid} and its {processes.Count} processes");
        WarnAboutSurvivors(console, processes);
        return ExitCodes.Success;
    }

    /// <summary>A dead <c>up</c>'s state: says so, deletes its state and owner record, names any of its processes still alive.</summary>
    private static void CleanUp(CliConsole console, MeshSnapshot snapshot)
    {
        var removed = new[] { snapshot.StateFile, snapshot.Directory.PidFile }.Where(File.Exists).ToList();
        foreach (var file in removed)
        {
            File.Delete(file);
        }
        console.WriteError($"no mesh runs in {snapshot.Directory.Path}; up pid {snapshot.UpPid} stopped without cleaning up; removed {string.Join(", ", removed)}");
        WarnAboutSurvivors(console, snapshot.State?.Processes ?? []);
    }

    private static void WarnAboutSurvivors(CliConsole console, IReadOnlyList<MeshStateProcess> processes)
    {
        var alive = processes.Where(p => PosixSignals.IsAlive(p.Pid)).ToList();
        if (alive.Count > 0)
        {
            console.WriteError($"still running (or their pids reused): {string.Join(", ", alive.Select(p => $"{p.Name} pid {p.Pid}"))}");
        }
    }
}
