using System.Diagnostics;

namespace P2PMesh.Cli.LocalMesh;

/// <summary>
/// One child of <c>p2pmesh up</c>: <c>dotnet &lt;dll&gt; &lt;settings&gt;</c>, run in the dll's directory (so
/// its own appsettings.json is the one read; every setting that matters is on the command line anyway),
/// stdout and stderr appended to a log file, stdin an empty pipe. It inherits <c>up</c>'s environment, less
/// the URL variables Kestrel would complain about, with the launcher's changes (the OTLP settings) on top.
/// </summary>
internal sealed class ServiceProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _logLock = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServiceProcess(string name, Process process, StreamWriter log, string logPath)
    {
        Name = name;
        _process = process;
        _log = log;
        LogPath = logPath;
    }

    /// <summary>e.g. <c>bootstrap</c>, <c>peer-1/pserver</c>.</summary>
    public string Name { get; }

    public int Pid { get; private set; }

    public string LogPath { get; }

    /// <summary>Completes when the process has exited.</summary>
    public Task Exited => _exited.Task;

    public bool HasExited => _exited.Task.IsCompleted;

    public int? ExitCode => HasExited ? _process.ExitCode : null;

    /// <summary>Set once the launcher has asked it to stop (its exit is then expected).</summary>
    public bool Stopping { get; private set; }

    /// <param name="name">Its name in logs and messages.</param>
    /// <param name="dotnet">The dotnet host.</param>
    /// <param name="dll">The service's entry assembly.</param>
    /// <param name="arguments">Its command line (settings as <c>--Key=Value</c>).</param>
    /// <param name="logPath">The log file stdout and stderr are appended to.</param>
    /// <param name="environment">Variables to set on top of the inherited environment; a <c>null</c> value removes one.</param>
    public static ServiceProcess Start(string name, string dotnet, string dll, IEnumerable<string> arguments, string logPath, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo(dotnet)
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        // Explicit Kestrel endpoints win anyway; without these the hosts would warn that they override them.
        foreach (var variable in new[] { "ASPNETCORE_URLS", "DOTNET_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS" })
        {
            info.Environment.Remove(variable);
        }
        foreach (var (variable, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(variable);
            }
            else
            {
                info.Environment[variable] = value;
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        var log = new StreamWriter(new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        log.WriteLine($"=== {DateTimeOffset.Now:O} {name}: {dotnet} {string.Join(' ', info.ArgumentList)}");

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ServiceProcess(name, process, log, logPath);
        process.OutputDataReceived += (_, e) => child.WriteLog(e.Data);
        process.ErrorDataReceived += (_, e) => child.WriteLog(e.Data);
        process.Exited += (_, _) => child.OnExited();
        try
        {
            process.Start();
        }
        catch
        {
            log.Dispose();
            process.Dispose();
            throw;
        }
        child.Pid = process.Id;
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>
    /// SIGTERM (a graceful ASP.NET Core shutdown), then after <paramref name="grace"/> SIGKILL to the whole
    /// tree. On Windows, straight to Kill.
    /// </summary>
    public async Task StopAsync(TimeSpan grace)
    {
        Stopping = true;
        if (HasExited)
        {
            return;
        }
        if (PosixSignals.TryTerminate(Pid))
        {
            await Task.WhenAny(Exited, Task.Delay(grace)).ConfigureAwait(false);
        }
        if (!HasExited)
        {
            KillNow();
            await Task.WhenAny(Exited, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
        }
    }

    /// <summary>SIGKILL to the process and its descendants, synchronously (for process-exit handlers).</summary>
    public void KillNow()
    {
        Stopping = true;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Exiting right now.
        }
    }

    public void Dispose()
    {
        KillNow();
        _process.Dispose();
        lock (_logLock)
        {
            _log.Dispose();
        }
    }

    private void WriteLog(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_logLock)
        {
            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    private void OnExited()
    {
        // Let the output readers drain before the exit is reported.
        _ = Task.Run(async () =>
        {
            try
            {
                using var drain = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _process.WaitForExitAsync(drain.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            WriteLog($"=== {DateTimeOffset.Now:O} {Name} exited with code {_process.ExitCode}");
            _exited.TrySetResult();
        });
    }
}
