using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace P2PMesh.Cli.LocalMesh;

/// <summary>
/// A private RabbitMQ node for <c>p2pmesh up --mom local</c> and the bus tests (docs/architecture.md, Message bus): the
/// <c>rabbitmq-server</c> found on PATH (or in <c>/usr/sbin</c>, <c>/usr/lib/rabbitmq/bin</c>), run directly (never
/// through the Debian wrapper, which <c>su</c>s to the <c>rabbitmq</c> user, nor as a system service) on free loopback
/// ports: AMQP, Erlang distribution and its own epmd (<c>ERL_EPMD_PORT</c>), with its node name, Mnesia database, logs,
/// Erlang cookie (<c>HOME</c>) and pid file in one temporary directory. Ready means the AMQP port answers the protocol
/// header with <c>connection.start</c>. <see cref="StopAsync"/> is graceful (SIGTERM to the node, which flushes its
/// persistent messages), so <see cref="StartAsync"/> again brings the same node back with its durable queues and
/// persistent messages on the same ports; <see cref="DisposeAsync"/> also stops its epmd and deletes the directory.
/// The user is RabbitMQ's default <c>guest</c>/<c>guest</c>, which the broker accepts from loopback only.
/// </summary>
internal sealed class LocalBroker : IAsyncDisposable
{
    /// <summary>What to say when no rabbitmq-server is found.</summary>
    public const string InstallHint =
        "rabbitmq-server was not found on PATH, in /usr/sbin or in /usr/lib/rabbitmq/bin; install it (Debian/Ubuntu: apt-get install -y rabbitmq-server) or pass --mom amqp://… to use a broker of your own.";

    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopPatience = TimeSpan.FromSeconds(30);
    private static readonly string[] SearchDirectories = ["/usr/sbin", "/usr/lib/rabbitmq/bin"];
    private const int OutputLines = 40;

    private readonly string _server;
    private readonly Queue<string> _output = new();
    private readonly Lock _outputLock = new();
    private Process? _process;
    private bool _disposed;

    private LocalBroker(string server, string directory, int amqpPort, int distPort, int epmdPort)
    {
        _server = server;
        Directory = directory;
        AmqpPort = amqpPort;
        DistPort = distPort;
        EpmdPort = epmdPort;
        NodeName = $"{Path.GetFileName(directory)}@localhost";
        Uri = new Uri($"amqp://guest:guest@127.0.0.1:{amqpPort}/");
    }

    /// <summary>The AMQP URI to connect to (user <c>guest</c>, default virtual host).</summary>
    public Uri Uri { get; }

    /// <summary><see cref="Uri"/> without its password, for summaries and logs.</summary>
    public string DisplayUri => $"amqp://guest@127.0.0.1:{AmqpPort}/";

    /// <summary>The AMQP listener's port on 127.0.0.1.</summary>
    public int AmqpPort { get; }

    /// <summary>The Erlang distribution port.</summary>
    public int DistPort { get; }

    /// <summary>The port of this node's own epmd.</summary>
    public int EpmdPort { get; }

    /// <summary>The Erlang node name, <c>p2pmesh-rabbitmq-&lt;random&gt;@localhost</c> (the directory's name).</summary>
    public string NodeName { get; }

    /// <summary>The temporary directory holding the node's database, logs and cookie.</summary>
    public string Directory { get; }

    /// <summary>Whether the node process is running.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>
    /// What <c>up</c>'s watchdog must stop when <c>up</c> is killed: the <c>rabbitmq-server</c> script's pid and the Erlang
    /// VM's (from its pid file), the epmd port and the directory; <c>null</c> when the node is not running.
    /// </summary>
    public LocalBrokerProcesses? Processes => _process is { HasExited: false } process
        ? new LocalBrokerProcesses(ReadVmPid() is { } vm && vm != process.Id ? [process.Id, vm] : [process.Id], EpmdPort, Directory)
        : null;

    /// <summary>The absolute path of the <c>rabbitmq-server</c> script to run directly, or <c>null</c> when there is none.</summary>
    /// <remarks>Debian's <c>/usr/sbin/rabbitmq-server</c> links to <c>rabbitmq-script-wrapper</c>; the real script is its sibling.</remarks>
    public static string? FindServer()
    {
        var path = System.Environment.GetEnvironmentVariable("PATH")?.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries) ?? [];
        foreach (var directory in path.Concat(SearchDirectories))
        {
            var candidate = Path.Join(directory, "rabbitmq-server");
            if (!File.Exists(candidate))
            {
                continue;
            }
            var target = new FileInfo(candidate).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(candidate);
            var real = Path.Join(Path.GetDirectoryName(target), "rabbitmq-server");
            return File.Exists(real) ? real : target;
        }
        return null;
    }

    /// <summary>Chooses free loopback ports and a temporary directory for a new node; nothing runs until <see cref="StartAsync"/>.</summary>
    /// <param name="ports">Where the three ports come from.</param>
    /// <exception cref="FileNotFoundException">No rabbitmq-server (the message is <see cref="InstallHint"/>).</exception>
    public static LocalBroker Create(FreePorts ports)
    {
        ArgumentNullException.ThrowIfNull(ports);
        var server = FindServer() ?? throw new FileNotFoundException(InstallHint, "rabbitmq-server");
        var directory = System.IO.Directory.CreateTempSubdirectory("p2pmesh-rabbitmq-").FullName;
        return new LocalBroker(server, directory, ports.Next(), ports.Next(), ports.Next());
    }

    /// <summary>Starts the node and waits until it accepts AMQP connections.</summary>
    /// <exception cref="InvalidOperationException">It is already running, or it exited or did not become ready within 60 s (with its last output).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired (the node is stopped).</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (IsRunning)
        {
            throw new InvalidOperationException($"The broker {NodeName} is already running.");
        }
        var info = new ProcessStartInfo(_server)
        {
            WorkingDirectory = Directory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in NodeEnvironment())
        {
            info.Environment[key] = value;
        }
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Remember(e.Data);
        process.ErrorDataReceived += (_, e) => Remember(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        try
        {
            using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            patience.CancelAfter(StartPatience);
            while (!await AcceptsAmqpAsync(patience.Token).ConfigureAwait(false))
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"rabbitmq-server exited with code {process.ExitCode} before it was ready:{System.Environment.NewLine}{LastOutput()}");
                }
                await Task.Delay(200, patience.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await StopAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"rabbitmq-server was not ready on 127.0.0.1:{AmqpPort} within {StartPatience.TotalSeconds:0} s:{System.Environment.NewLine}{LastOutput()}");
        }
        catch
        {
            await StopAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Stops the node gracefully (SIGTERM to the Erlang VM named in its pid file, so persistent messages are on disk),
    /// killing it after 30 s. Nothing happens when it is not running. Its epmd keeps running (for a later start).
    /// </summary>
    public async Task StopAsync()
    {
        if (_process is not { } process)
        {
            return;
        }
        _process = null;
        try
        {
            if (!process.HasExited)
            {
                if (ReadVmPid() is { } pid)
                {
                    await RunQuietlyAsync("kill", ["-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]).ConfigureAwait(false);
                }
                using var patience = new CancellationTokenSource(StopPatience);
                try
                {
                    await process.WaitForExitAsync(patience.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            process.Dispose();
        }
    }

    /// <summary>Stops and starts the node again: same ports, name and database (durable queues and persistent messages survive).</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync().ConfigureAwait(false);
        await StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the node and its epmd and deletes its directory. Never throws for a node already gone.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        await StopAsync().ConfigureAwait(false);
        // epmd outlives the node it was started for.
        await RunQuietlyAsync("epmd", ["-port", EpmdPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "-kill"]).ConfigureAwait(false);
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>The node's environment (RabbitMQ's and Erlang's variables), everything under <see cref="Directory"/>, loopback only.</summary>
    private Dictionary<string, string> NodeEnvironment()
    {
        var enabledPlugins = Path.Join(Directory, "enabled_plugins");
        if (!File.Exists(enabledPlugins))
        {
            File.WriteAllText(enabledPlugins, "[].\n");
        }
        return new Dictionary<string, string>
        {
            // The Erlang cookie is created in (and read from) $HOME.
            ["HOME"] = Directory,
            ["RABBITMQ_NODENAME"] = NodeName,
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = Port(AmqpPort),
            ["RABBITMQ_DIST_PORT"] = Port(DistPort),
            ["ERL_EPMD_PORT"] = Port(EpmdPort),
            ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}",
            ["RABBITMQ_MNESIA_BASE"] = Path.Join(Directory, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Join(Directory, "log"),
            ["RABBITMQ_PID_FILE"] = Path.Join(Directory, "rabbitmq.pid"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = enabledPlugins,
            ["RABBITMQ_CONFIG_FILE"] = Path.Join(Directory, "rabbitmq"),
            ["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Join(Directory, "advanced.config"),
            ["RABBITMQ_CONF_ENV_FILE"] = Path.Join(Directory, "rabbitmq-env.conf"),
        };
    }

    private static string Port(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private int? ReadVmPid()
    {
        try
        {
            return int.TryParse(File.ReadAllText(Path.Join(Directory, "rabbitmq.pid")).Trim(), out var pid) ? pid : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Whether 127.0.0.1:<see cref="AmqpPort"/> answers the AMQP 0-9-1 protocol header with a method frame (connection.start).</summary>
    private async Task<bool> AcceptsAmqpAsync(CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, AmqpPort, cancellationToken).ConfigureAwait(false);
            var stream = client.GetStream();
            await stream.WriteAsync("AMQP\0\0\u0009\u0001"u8.ToArray(), cancellationToken).ConfigureAwait(false);
            var frameType = new byte[1];
            return await stream.ReadAsync(frameType, cancellationToken).ConfigureAwait(false) == 1 && frameType[0] == 1;
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            return false;
        }
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_outputLock)
        {
            _output.Enqueue(line);
            while (_output.Count > OutputLines)
            {
                _output.Dequeue();
            }
        }
    }

    private string LastOutput()
    {
        lock (_outputLock)
        {
            return string.Join(System.Environment.NewLine, _output);
        }
    }

    private static async Task RunQuietlyAsync(string command, string[] arguments)
    {
        var info = new ProcessStartInfo(command) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        try
        {
            using var process = Process.Start(info);
            if (process is not null)
            {
                await process.StandardOutput.ReadToEndAsync().ConfigureAwait(false);
                await process.WaitForExitAsync().ConfigureAwait(false);
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // kill or epmd is not installed: nothing more to do.
        }
    }
}
