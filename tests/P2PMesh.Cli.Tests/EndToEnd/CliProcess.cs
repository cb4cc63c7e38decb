using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using P2PMesh.Cli.LocalMesh;

namespace P2PMesh.Cli.Tests.EndToEnd;

/// <summary>
/// <c>dotnet P2PMesh.Cli.dll …</c> as a real process: the CLI's own build output (with its services/
/// folder), never this test's copy. <c>P2PMESH_BIN</c> and <c>P2PMESH_API</c> are cleared unless given.
/// </summary>
internal sealed class CliProcess : IDisposable
{
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _error = new();
    private readonly Lock _lock = new();

    private CliProcess(Process process) => Process = process;

    public static string CliDll { get; } = typeof(CliProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "CliDll").Value!;

    public Process Process { get; }

    public string Out
    {
        get
        {
            lock (_lock)
            {
                return _out.ToString();
            }
        }
    }

    public string Error
    {
        get
        {
            lock (_lock)
            {
                return _error.ToString();
            }
        }
    }

    public static CliProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(DotnetHost.Locate())
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(CliDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment.Remove(ServiceBinaries.EnvironmentVariable);
        info.Environment.Remove("P2PMESH_API");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        var process = new Process { StartInfo = info };
        var cli = new CliProcess(process);
        process.OutputDataReceived += (_, e) => cli.Append(cli._out, e.Data);
        process.ErrorDataReceived += (_, e) => cli.Append(cli._error, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>Runs to the end (killed after <paramref name="timeout"/>).</summary>
    public static async Task<(int ExitCode, string Out, string Error)> RunAsync(TimeSpan timeout, params string[] args)
    {
        using var cli = Start(args);
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await cli.Process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"p2pmesh {string.Join(' ', args)} did not finish within {timeout}:{Environment.NewLine}{cli.Out}{cli.Error}");
        }
        return (cli.Process.ExitCode, cli.Out, cli.Error);
    }

    public static async Task<JsonDocument> RunJsonAsync(TimeSpan timeout, params string[] args)
    {
        var (exitCode, output, error) = await RunAsync(timeout, args);
        Assert.True(exitCode == 0, $"p2pmesh {string.Join(' ', args)} exited {exitCode}:{Environment.NewLine}{output}{error}");
        return JsonDocument.Parse(output);
    }

    /// <summary>
    /// For a running <c>up</c>: polls until it has written its state file (the mesh is ready) and reads it;
    /// fails if <c>up</c> exits first or <paramref name="timeout"/> passes.
    /// </summary>
    public async Task<MeshState> WaitForStateAsync(string statePath, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (!File.Exists(statePath))
        {
            Assert.False(Process.HasExited, $"up exited {(Process.HasExited ? Process.ExitCode : 0)} before the mesh was ready:{Environment.NewLine}{Out}{Error}");
            Assert.True(watch.Elapsed < timeout, $"no {statePath} after {timeout}:{Environment.NewLine}{Out}{Error}");
            await Task.Delay(200);
        }
        return MeshState.Read(statePath) ?? throw new InvalidOperationException("empty state file");
    }

    /// <summary>
    /// For a running <c>up</c>: SIGTERM to it alone (not its process group), as a service manager or <c>p2pmesh down</c>
    /// would, then waits up to 30 s for it to exit and asserts it exited 130 (<see cref="ExitCodes.Cancelled"/>).
    /// </summary>
    public Task TerminateAsync() => StopAsync(PosixSignal.SIGTERM);

    /// <summary>
    /// For a running <c>up</c>: <paramref name="signal"/> (SIGTERM or SIGINT, what Ctrl-C sends) to it alone, then
    /// waits up to 30 s for it to exit and asserts it exited 130 (<see cref="ExitCodes.Cancelled"/>).
    /// </summary>
    public async Task StopAsync(PosixSignal signal)
    {
        Assert.True(signal == PosixSignal.SIGINT ? PosixSignals.TryInterrupt(Process.Id) : PosixSignals.TryTerminate(Process.Id), $"{signal} to {Process.Id}");
        using (var exit = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            await Process.WaitForExitAsync(exit.Token);
        }
        Assert.True(Process.ExitCode == ExitCodes.Cancelled, $"up exited {Process.ExitCode} on {signal}{Environment.NewLine}{Error}");
    }

    /// <summary>Waits up to <paramref name="timeout"/> for every one of <paramref name="pids"/> to be gone, then asserts that none runs.</summary>
    public static async Task AssertAllExitAsync(IReadOnlyCollection<int> pids, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (pids.Any(IsAlive) && watch.Elapsed < timeout)
        {
            await Task.Delay(100);
        }
        Assert.DoesNotContain(pids, IsAlive);
    }

    public static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    public static void KillIfAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
        }
    }

    public void Dispose()
    {
        try
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }
        Process.Dispose();
    }

    private void Append(StringBuilder builder, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_lock)
        {
            builder.AppendLine(line);
        }
    }
}
