using System.CommandLine;
using System.Runtime.InteropServices;
using P2PMesh.Cli.LocalMesh;

namespace P2PMesh.Cli.Commands.Up;

/// <summary>
/// Locks its <c>--dir</c> (<see cref="MeshDirectory.TryLockAsync"/>: one mesh per directory), seeds the shares,
/// starts the mesh (<see cref="MeshLauncher"/>), prints the summary (<see cref="UpSummary"/>), writes the state
/// file, then runs until Ctrl-C, SIGTERM or SIGHUP (or until every child has died), and stops every child
/// before it returns and releases the directory. Exit 130 (<see cref="ExitCodes.Cancelled"/>) when stopped by
/// any of those signals, while starting or running; 1 when the directory is taken by another <c>up</c>, the
/// mesh cannot start, or all of it died (services/P2PMesh.Cli/README.md, Exit codes).
/// </summary>
internal sealed class UpCommand(ParseResult parseResult)
{
    public const string DefaultStateFileName = "mesh.json";

    public async Task<int> ExecuteAsync(CancellationToken cancellationToken)
    {
        var console = CliConsole.For(parseResult);
        var directory = parseResult.GetRequiredValue(UpCommandDefinition.DirectoryOption).FullName;
        var settings = new MeshLaunchSettings(
            Peers: parseResult.GetValue(UpCommandDefinition.PeersOption),
            Degree: parseResult.GetValue(UpCommandDefinition.DegreeOption),
            ShareFrom: parseResult.GetValue(UpCommandDefinition.ShareFromOption)?.FullName,
            Directory: directory,
            StateFile: parseResult.GetValue(UpCommandDefinition.StateOption)?.FullName ?? Path.Combine(directory, DefaultStateFileName),
            PreferredApiPort: parseResult.GetValue(UpCommandDefinition.ApiPortOption),
            StartTimeout: TimeSpan.FromSeconds(parseResult.GetValue(UpCommandDefinition.StartTimeoutOption)),
            PServerSettings: parseResult.GetValue(UpCommandDefinition.PServerSettingOption) ?? [],
            ApiSettings: parseResult.GetValue(UpCommandDefinition.ApiSettingOption) ?? [])
        {
            Otlp = parseResult.GetValue(UpCommandDefinition.OtlpOption) is { } otlp
                ? new OtlpSettings(otlp, parseResult.GetValue(UpCommandDefinition.OtlpProtocolOption))
                : null,
            Admission = !parseResult.GetValue(UpCommandDefinition.NoAdmissionOption),
            Tls = parseResult.GetValue(UpCommandDefinition.TlsOption),
        };

        // One mesh per directory: a second `up` here would start peers on the same shares and overwrite the state.
        var meshDirectory = new MeshDirectory(directory);
        using var directoryLock = await meshDirectory.TryLockAsync(settings.StateFile, cancellationToken);
        if (directoryLock is null)
        {
            var owner = meshDirectory.ReadOwner();
            console.WriteError($"a mesh already runs in {meshDirectory.Path} (up pid {owner?.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"}); " +
                $"stop it with: p2pmesh down --dir {meshDirectory.Path}");
            return ExitCodes.Failure;
        }

        ServiceBinaries binaries;
        try
        {
            binaries = ServiceBinaries.Locate(Environment.GetEnvironmentVariable, AppContext.BaseDirectory, Environment.CurrentDirectory);
        }
        catch (FileNotFoundException e)
        {
            console.WriteError(e.Message);
            return ExitCodes.Failure;
        }

        // System.CommandLine turns SIGINT and SIGTERM into cancellation; a closed terminal (SIGHUP) should stop the mesh too.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var hangup = OperatingSystem.IsWindows() ? null : PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });

        IReadOnlyList<IReadOnlyList<string>>? seeded = null;
        if (settings.ShareFrom is { } source)
        {
            seeded = ShareSeeder.Seed(source, [.. Enumerable.Range(0, settings.Peers).Select(settings.ShareOf)]);
        }

        // --mom local: the broker starts first and stops last (its await using ends after the finally that stops the children).
        var mom = parseResult.GetValue(UpCommandDefinition.MomOption);
        LocalBroker? localBroker = null;
        if (mom == UpCommandDefinition.LocalMom)
        {
            try
            {
                localBroker = await StartBrokerAsync(console, stop.Token);
            }
            catch (MeshStartException e)
            {
                console.WriteError(e.Message);
                return ExitCodes.Failure;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return ExitCodes.Cancelled;
            }
        }
        await using var broker = localBroker;
        settings = settings with { MomUri = broker?.Uri ?? (mom is null ? null : new Uri(mom)), LocalBroker = broker?.Processes };
        var launcher = new MeshLauncher(settings, binaries, DotnetHost.Locate(), line => console.WriteHint(line));
        try
        {
            console.WriteHint($"services: {binaries.Origin}");
            var state = await launcher.StartAsync(seeded, stop.Token);
            // Table first: once the state file exists, the table has been written too.
            UpSummary.Write(console.Ansi, settings, state, seeded, Telemetry(settings.Otlp, Environment.GetEnvironmentVariable), Broker(settings.MomUri, broker));
            await console.Out.FlushAsync(stop.Token);
            await state.WriteAsync(settings.StateFile, stop.Token);

            var exits = launcher.Processes.Select(p => p.Exited.ContinueWith(_ =>
            {
                if (!p.Stopping && !stop.IsCancellationRequested)
                {
                    console.WriteError($"{p.Name} (pid {p.Pid}) exited with code {p.ExitCode}; see {p.LogPath}");
                }
            }, TaskScheduler.Default)).ToList();
            var stopped = Task.Delay(Timeout.Infinite, stop.Token);
            if (await Task.WhenAny(stopped, Task.WhenAll(exits)) != stopped)
            {
                console.WriteError("every process of the mesh has exited.");
                return ExitCodes.Failure;
            }
            return ExitCodes.Cancelled;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Ctrl-C, SIGTERM (p2pmesh down, a service manager) and SIGHUP alike: 130, as every verb exits when
            // stopped by a signal. System.CommandLine turns SIGINT and SIGTERM into the same cancellation.
            return ExitCodes.Cancelled;
        }
        catch (MeshStartException e)
        {
            console.WriteError(e.Message);
            return ExitCodes.Failure;
        }
        finally
        {
            var count = launcher.Processes.Count;
            if (count > 0)
            {
                console.WriteHint($"stopping {count} processes");
            }
            await launcher.DisposeAsync();
            TryDelete(settings.StateFile);
            if (count > 0)
            {
                console.WriteHint("mesh stopped");
            }
        }
    }

    /// <summary>
    /// The summary's telemetry line: the <c>--otlp</c> endpoint, protocol and service names, or the inherited
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>; <c>null</c> when the children export nowhere.
    /// </summary>
    internal static string? Telemetry(OtlpSettings? otlp, Func<string, string?> environment)
    {
        if (otlp is not null)
        {
            return $"OTLP {otlp.EnvironmentFor(MeshServiceNames.PServer)[OtlpSettings.EndpointVariable]} ({otlp.Protocol}) " +
                $"as {MeshServiceNames.Bootstrap}, {MeshServiceNames.PServer}, {MeshServiceNames.PClientApi}";
        }
        var inherited = environment(OtlpSettings.EndpointVariable);
        if (string.IsNullOrWhiteSpace(inherited))
        {
            return null;
        }
        var protocol = environment(OtlpSettings.ProtocolVariable);
        return $"OTLP {inherited} ({(string.IsNullOrWhiteSpace(protocol) ? OtlpProtocols.Grpc : protocol)}), inherited from ${OtlpSettings.EndpointVariable}";
    }

    /// <summary>
    /// Starts the <c>--mom local</c> broker (<see cref="LocalBroker"/>); <c>null</c> after an error it has reported (no
    /// rabbitmq-server, or it did not start), which ends <c>up</c> with exit 1 through <see cref="MeshStartException"/>.
    /// </summary>
    private static async Task<LocalBroker> StartBrokerAsync(CliConsole console, CancellationToken cancellationToken)
    {
        LocalBroker broker;
        try
        {
            broker = LocalBroker.Create(new FreePorts());
        }
        catch (FileNotFoundException e)
        {
            throw new MeshStartException(e.Message);
        }
        console.WriteHint($"starting rabbitmq-server ({broker.NodeName}) on 127.0.0.1:{broker.AmqpPort.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        try
        {
            await broker.StartAsync(cancellationToken);
        }
        catch (InvalidOperationException e)
        {
            await broker.DisposeAsync();
            throw new MeshStartException(e.Message);
        }
        catch
        {
            await broker.DisposeAsync();
            throw;
        }
        return broker;
    }

    /// <summary>The summary's broker line: its URI without the password, and whether <c>up</c> runs it; <c>null</c> without <c>--mom</c>.</summary>
    internal static string? Broker(Uri? momUri, LocalBroker? local)
    {
        if (local is not null)
        {
            return $"{local.DisplayUri} (rabbitmq-server {local.NodeName}, stopped with the mesh)";
        }
        if (momUri is null)
        {
            return null;
        }
        return momUri.UserInfo.Length == 0
            ? momUri.ToString()
            : new UriBuilder(momUri) { Password = "" }.Uri.ToString();
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
