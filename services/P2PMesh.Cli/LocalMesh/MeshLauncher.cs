using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using P2PMesh.Contracts.Tls;

namespace P2PMesh.Cli.LocalMesh;

/// <summary>
/// Runs a Bootstrap and N peers (PServer + PClient-API each) as child processes on 127.0.0.1 and free
/// ports: the Bootstrap first, then every PServer (ready when its port accepts), then every PClient-API
/// (ready when <c>/readyz</c>, which asks its PServer, says so), then waits briefly for every peer to
/// have a neighbour. A child that exits while starting because its port was taken in between ("address
/// already in use" in its log) is started again on a new port, up to three times; any other early exit
/// fails the start at once, with the child's error. <see cref="DisposeAsync"/> stops everything:
/// APIs, then PServers, then the Bootstrap, each with SIGTERM and a grace period, then SIGKILL.
/// With <see cref="MeshLaunchSettings.Otlp"/>, every child's environment carries the OTLP endpoint and its
/// kind's service name (<see cref="MeshServiceNames"/>); without, children inherit <c>up</c>'s <c>OTEL_*</c> variables.
/// A peer's PServer and PClient-API both get <c>--Peer:Id=</c> the peer's id (<c>peer-1</c>, …), their
/// <c>service.instance.id</c>, as in a pod (<c>Peer__Id=$(POD_NAME)</c> on both containers). The Bootstrap and every
/// PServer get <c>--Directory:SecretsDirectory=</c> the per-peer secrets written for this run (<see cref="DirectorySecrets"/>).
/// With <see cref="MeshLaunchSettings.MomUri"/>, every child gets it as the environment variable <c>Mom__Uri</c>, never on
/// its command line (the URI may carry a password). With <see cref="MeshLaunchSettings.LocalBroker"/>, the watchdog stops
/// that broker too, after the children, if <c>up</c> is killed.
/// </summary>
internal sealed class MeshLauncher : IAsyncDisposable
{
    private const int StartAttempts = 3;
    private static readonly TimeSpan LinkWait = TimeSpan.FromSeconds(20);

    private readonly MeshLaunchSettings _settings;
    private readonly ServiceBinaries _binaries;
    private readonly string _dotnet;
    private readonly Action<string> _report;
    private readonly FreePorts _ports = new();
    private readonly List<ServiceProcess> _processes = [];
    private readonly Lock _lock = new();
    private readonly HttpClient _http = new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(2) }) { Timeout = TimeSpan.FromSeconds(5) };
    private readonly string _pidFile;
    private Process? _watchdog;
    private bool _disposed;

    /// <param name="settings">What to run.</param>
    /// <param name="binaries">The service builds.</param>
    /// <param name="dotnet">The dotnet host to run them with.</param>
    /// <param name="report">Progress lines (starting…, retrying…) for the user.</param>
    public MeshLauncher(MeshLaunchSettings settings, ServiceBinaries binaries, string dotnet, Action<string> report)
    {
        _settings = settings;
        _binaries = binaries;
        _dotnet = dotnet;
        _report = report;
        _pidFile = Path.Combine(settings.Directory, "run", $"children-{Environment.ProcessId}.pids");
    }

    /// <summary>Every child now running.</summary>
    public IReadOnlyList<ServiceProcess> Processes
    {
        get
        {
            lock (_lock)
            {
                return [.. _processes];
            }
        }
    }

    /// <summary>Starts the mesh and returns its state once every child is ready (and writes nothing yet).</summary>
    /// <exception cref="MeshStartException">A child kept failing or was not ready within the start timeout.</exception>
    public async Task<MeshState> StartAsync(IReadOnlyList<IReadOnlyList<string>>? seeded, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        AppDomain.CurrentDomain.UnhandledException += OnProcessExit;
        Directory.CreateDirectory(Path.GetDirectoryName(_pidFile)!);
        await File.WriteAllTextAsync(_pidFile, "", cancellationToken).ConfigureAwait(false);
        _watchdog = Watchdog.Start(Environment.ProcessId, Path.GetFullPath(_pidFile), _settings.LocalBroker);

        // The directory's per-peer secrets, fresh each run: the Bootstrap checks logins against them, each PServer reads its own.
        var secrets = DirectorySecrets.Write(_settings.Directory, Enumerable.Range(0, _settings.Peers).Select(_settings.PeerId));
        string[] tls = _settings.Tls ? TlsArguments(LocalCertificateAuthority.Create(TlsFolder, TlsLifetime)) : [];
        _report("starting the bootstrap");
        var bootstrapPort = await StartChildAsync(MeshStateProcess.BootstrapName, MeshServiceNames.Bootstrap, _binaries.Bootstrap, port =>
            [
                "--Bootstrap:ListenAddress=127.0.0.1",
                $"--Bootstrap:GrpcPort={port}",
                DirectorySecrets.Argument(secrets),
                Admission,
                .. tls,
            ], WaitForTcpAsync, preferredPort: null, cancellationToken).ConfigureAwait(false);

        var shares = Enumerable.Range(0, _settings.Peers).Select(i => Path.GetFullPath(_settings.ShareOf(i))).ToArray();
        _report($"starting {_settings.Peers} PServer{(_settings.Peers == 1 ? "" : "s")}");
        var pservers = await Task.WhenAll(Enumerable.Range(0, _settings.Peers).Select(i =>
        {
            Directory.CreateDirectory(shares[i]);
            return StartChildAsync(MeshStateProcess.PServerName(_settings.PeerId(i)), MeshServiceNames.PServer, _binaries.PServer, port =>
                [
                    $"--Peer:Id={_settings.PeerId(i)}",
                    "--Peer:ListenAddress=127.0.0.1",
                    $"--Peer:GrpcPort={port}",
                    $"--Peer:AdvertisedAddress=127.0.0.1:{port}",
                    $"--Content:ShareDirectory={shares[i]}",
                    $"--Neighbours:Bootstrap=127.0.0.1:{bootstrapPort}",
                    $"--Neighbours:TargetDegree={_settings.Degree}",
                    DirectorySecrets.Argument(secrets),
                    Admission,
                    .. tls,
                        .. _settings.PServerSettings.Select(s => "--" + s),
                ], WaitForTcpAsync, preferredPort: null, cancellationToken);
        })).ConfigureAwait(false);

        _report($"starting {_settings.Peers} PClient-API{(_settings.Peers == 1 ? "" : "s")}");
        var apis = await Task.WhenAll(Enumerable.Range(0, _settings.Peers).Select(i =>
            StartChildAsync(MeshStateProcess.ApiName(_settings.PeerId(i)), MeshServiceNames.PClientApi, _binaries.PClientApi, port =>
                [
                    // The peer id, for the API's service.instance.id: a peer's two processes report as one instance.
                    $"--Peer:Id={_settings.PeerId(i)}",
                    "--Api:ListenAddress=127.0.0.1",
                    $"--Api:Port={port}",
                    $"--Api:PServer=127.0.0.1:{pservers[i]}",
                    // The API and its PServer share the share, as the two containers of a pod do.
                    $"--Content:ShareDirectory={shares[i]}",
                    // Its peer token comes from the Bootstrap's directory, with the peer's secret.
                    $"--Neighbours:Bootstrap=127.0.0.1:{bootstrapPort}",
                    DirectorySecrets.Argument(secrets),
                    Admission,
                    .. tls,
                        .. _settings.ApiSettings.Select(s => "--" + s),
                ], WaitForReadyAsync, preferredPort: i == 0 && _settings.PreferredApiPort > 0 ? _settings.PreferredApiPort : null, cancellationToken)))
            .ConfigureAwait(false);

        if (_settings.Peers > 1)
        {
            _report("waiting for the peers to link");
            await WaitForLinksAsync(apis, cancellationToken).ConfigureAwait(false);
        }

        var processes = Processes;
        return new MeshState(
            $"{(_settings.Tls ? "https" : "http")}://127.0.0.1:{bootstrapPort}",
            [.. Enumerable.Range(0, _settings.Peers).Select(i => new MeshStatePeer(
                _settings.PeerId(i), $"127.0.0.1:{pservers[i]}", $"http://127.0.0.1:{apis[i]}", shares[i]))],
            Environment.ProcessId,
            Path.GetFullPath(_settings.LogDirectory),
            [.. processes.Select(p => new MeshStateProcess(p.Name, p.Pid, Path.GetFullPath(p.LogPath)))]);
    }

    /// <summary>Stops every child (APIs, PServers, then the Bootstrap) and the watchdog.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        var processes = Processes;
        foreach (var group in MeshStateProcess.StopOrder)
        {
            await Task.WhenAll(processes.Where(p => p.Name.EndsWith(group, StringComparison.Ordinal))
                .Select(p => p.StopAsync(_settings.StopGrace))).ConfigureAwait(false);
        }
        foreach (var process in processes)
        {
            process.Dispose();
        }
        lock (_lock)
        {
            _processes.Clear();
        }
        StopWatchdog();
        TryDelete(_pidFile);
        _http.Dispose();
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        AppDomain.CurrentDomain.UnhandledException -= OnProcessExit;
    }

    /// <summary>Starts one child, again on a new port while the port race makes it exit; returns the port it is ready on.</summary>
    private async Task<int> StartChildAsync(
        string name, string serviceName, string dll, Func<int, string[]> arguments, Func<int, CancellationToken, Task> waitReady, int? preferredPort, CancellationToken cancellationToken)
    {
        var log = Path.Combine(_settings.LogDirectory, name.Replace('/', '.') + ".log");
        var environment = ChildEnvironment(serviceName);
        string? failure = null;
        for (var attempt = 1; attempt <= StartAttempts; attempt++)
        {
            var port = attempt == 1 && preferredPort is { } preferred && _ports.TryClaim(preferred) ? preferred : _ports.Next();
            var process = ServiceProcess.Start(name, _dotnet, dll, arguments(port), log, environment);
            Track(process);

            using var ready = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            ready.CancelAfter(_settings.StartTimeout);
            var readiness = waitReady(port, ready.Token);
            if (await Task.WhenAny(readiness, process.Exited).ConfigureAwait(false) == readiness)
            {
                try
                {
                    await readiness.ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new MeshStartException($"{name} was not ready within {_settings.StartTimeout.TotalSeconds:0} s; see {log}{Explain(LastAttempt(log))}");
                }
                if (!process.HasExited)
                {
                    return port;
                }
            }
            await ready.CancelAsync().ConfigureAwait(false);
            await readiness.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            failure = $"{name} exited with code {process.ExitCode} while starting on port {port}";
            Untrack(process);
            process.Dispose();
            var attemptLog = LastAttempt(log);
            if (!attemptLog.Any(line => line.Contains("address already in use", StringComparison.OrdinalIgnoreCase)))
            {
                // Not the port race: starting it again would fail the same way.
                throw new MeshStartException($"{failure}; see {log}{Explain(attemptLog)}");
            }
            if (attempt < StartAttempts)
            {
                _report($"{failure} (port taken); starting it again on another port");
            }
        }
        throw new MeshStartException($"{failure} ({StartAttempts} attempts); see {log}{Explain(LastAttempt(log))}");
    }

    /// <summary>How long <c>up --tls</c>'s certificates are valid: 30 days (a local mesh is restarted long before).</summary>
    private static readonly TimeSpan TlsLifetime = TimeSpan.FromDays(30);

    /// <summary><c>&lt;dir&gt;/run/tls</c>: the CA and certificate of <c>up --tls</c>.</summary>
    private string TlsFolder => Path.Combine(Path.GetFullPath(_settings.Directory), "run", "tls");

    /// <summary>The <c>--Tls:*</c> settings of every child for the files of a <see cref="LocalCertificateAuthority"/>.</summary>
    private static string[] TlsArguments((string CertificateFile, string KeyFile, string CaFile) files) =>
        ["--Tls:Enabled=true", $"--Tls:CertificateFile={files.CertificateFile}", $"--Tls:KeyFile={files.KeyFile}", $"--Tls:CaFile={files.CaFile}"];

    /// <summary><c>--Admission:Required=</c> <see cref="MeshLaunchSettings.Admission"/>, for every child.</summary>
    private string Admission => $"--Admission:Required={(_settings.Admission ? "true" : "false")}";

    /// <summary>The variables a child gets on top of <c>up</c>'s environment: the OTLP settings and <c>Mom__Uri</c>; <c>null</c> for none.</summary>
    private Dictionary<string, string?>? ChildEnvironment(string serviceName)
    {
        if (_settings.Otlp is null && _settings.MomUri is null)
        {
            return null;
        }
        var environment = new Dictionary<string, string?>(_settings.Otlp?.EnvironmentFor(serviceName) ?? new Dictionary<string, string?>(), StringComparer.Ordinal);
        if (_settings.MomUri is { } momUri)
        {
            environment[MeshLaunchSettings.MomUriVariable] = momUri.ToString();
        }
        return environment;
    }

    /// <summary>The log lines of a child's latest start (after its "=== … name: command" header).</summary>
    private static List<string> LastAttempt(string log)
    {
        try
        {
            var lines = File.ReadAllLines(log);
            var start = Array.FindLastIndex(lines, l => l.StartsWith("=== ", StringComparison.Ordinal) && l.Contains(": ", StringComparison.Ordinal) && !l.Contains(" exited with code ", StringComparison.Ordinal));
            return [.. lines.Skip(Math.Max(0, start + 1))];
        }
        catch (IOException)
        {
            return [];
        }
    }

    /// <summary>What to show of a failed start: the exception's message line(s) if there is one, else the last lines.</summary>
    private static string Explain(List<string> attemptLog)
    {
        var exception = attemptLog.FindIndex(l => l.Contains("Exception: ", StringComparison.Ordinal));
        var shown = exception >= 0
            ? attemptLog.Skip(exception).TakeWhile(l => !l.TrimStart().StartsWith("at ", StringComparison.Ordinal)).Take(6).ToList()
            : attemptLog.Where(l => !l.StartsWith("=== ", StringComparison.Ordinal)).TakeLast(8).ToList();
        return shown.Count == 0 ? "" : $":{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", shown.Select(l => l.Trim()))}";
    }

    private static async Task WaitForTcpAsync(int port, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var client = new TcpClient(AddressFamily.InterNetwork);
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (SocketException)
            {
            }
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WaitForReadyAsync(int port, CancellationToken cancellationToken)
    {
        await WaitForTcpAsync(port, cancellationToken).ConfigureAwait(false);
        var readyz = new Uri($"http://127.0.0.1:{port}/readyz");
        while (true)
        {
            try
            {
                using var response = await _http.GetAsync(readyz, cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // One slow answer (HttpClient timeout); ask again.
            }
            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Best effort: until every peer lists a neighbour (or <see cref="LinkWait"/> passes, then a warning).</summary>
    private async Task WaitForLinksAsync(IReadOnlyList<int> apiPorts, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        var lonely = apiPorts.ToList();
        while (lonely.Count > 0 && deadline.Elapsed < LinkWait)
        {
            var linked = await Task.WhenAll(lonely.Select(async port =>
            {
                try
                {
                    using var response = await _http.GetAsync(new Uri($"http://127.0.0.1:{port}/api/peers"), cancellationToken).ConfigureAwait(false);
                    if (!response.IsSuccessStatusCode)
                    {
                        return false;
                    }
                    var peers = JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false), CliJsonContext.Default.PeersResponse);
                    return peers?.Neighbours.Count > 0;
                }
                catch (Exception e) when (e is HttpRequestException or JsonException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    return false;
                }
            })).ConfigureAwait(false);
            lonely = [.. lonely.Where((_, i) => !linked[i])];
            if (lonely.Count > 0)
            {
                await Task.Delay(250, cancellationToken).ConfigureAwait(false);
            }
        }
        if (lonely.Count > 0)
        {
            _report($"warning: {lonely.Count} peer(s) had no neighbour after {LinkWait.TotalSeconds:0} s (APIs on ports {string.Join(", ", lonely)}); searches may not reach them yet");
        }
    }

    private void Track(ServiceProcess process)
    {
        lock (_lock)
        {
            _processes.Add(process);
            WritePidFile();
        }
    }

    private void Untrack(ServiceProcess process)
    {
        lock (_lock)
        {
            _processes.Remove(process);
            WritePidFile();
        }
    }

    private void WritePidFile()
    {
        try
        {
            File.WriteAllText(_pidFile, string.Join(' ', _processes.Select(p => p.Pid.ToString(CultureInfo.InvariantCulture))));
        }
        catch (IOException)
        {
            // The watchdog is a backstop only.
        }
    }

    private void StopWatchdog()
    {
        if (_watchdog is null)
        {
            return;
        }
        try
        {
            File.WriteAllText(_pidFile, "");
            _watchdog.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
        }
        _watchdog.Dispose();
        _watchdog = null;
    }

    /// <summary>Last resort on process exit or an unhandled exception: SIGKILL whatever is still running.</summary>
    private void OnProcessExit(object? sender, EventArgs e)
    {
        foreach (var process in Processes)
        {
            process.KillNow();
        }
        StopWatchdog();
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }
}
