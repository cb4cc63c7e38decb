using System.CommandLine;
using System.Runtime.InteropServices;
using Spectre.Console;
using P2PMesh.Cli.LocalMesh;

namespace P2PMesh.Cli.Commands.Up;

/// <summary>
/// Seeds the shares, starts the mesh (<see cref="MeshLauncher"/>), prints one row per peer, writes the
/// state file, then runs until Ctrl-C, SIGTERM or SIGHUP (or until every child has died), and stops
/// every child before it returns. Exit 0 after a requested stop; 1 when the mesh cannot start or all
/// of it died; 130 when stopped while still starting.
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
        };

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

        var launcher = new MeshLauncher(settings, binaries, DotnetHost.Locate(), line => console.WriteHint(line));
        var started = false;
        try
        {
            console.WriteHint($"services: {binaries.Origin}");
            var state = await launcher.StartAsync(seeded, stop.Token);
            started = true;
            // Table first: once the state file exists, the table has been written too.
            Print(console, settings, state, seeded);
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
            return ExitCodes.Success;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return started ? ExitCodes.Success : ExitCodes.Cancelled;
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

    private static void Print(CliConsole console, MeshLaunchSettings settings, MeshState state, IReadOnlyList<IReadOnlyList<string>>? seeded)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"P2PMesh: {state.Peers.Count} peer{(state.Peers.Count == 1 ? "" : "s")}, bootstrap {state.Bootstrap}")
            .AddColumn("Peer")
            .AddColumn("PServer")
            .AddColumn("API")
            .AddColumn("Share");
        if (seeded is not null)
        {
            table.AddColumn(new TableColumn("Seeded").RightAligned());
        }
        for (var i = 0; i < state.Peers.Count; i++)
        {
            var peer = state.Peers[i];
            var cells = new List<string> { peer.Id, peer.Pserver, peer.Api, peer.Share };
            if (seeded is not null)
            {
                cells.Add(seeded[i].Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            table.AddRow([.. cells.Select(Markup.Escape)]);
        }
        console.Ansi.Write(table);
        console.Ansi.MarkupLineInterpolated($"State: {settings.StateFile}   Logs: {state.Logs}");
        if (seeded is not null)
        {
            var distinct = seeded.SelectMany(s => s).Distinct(StringComparer.Ordinal).Count();
            console.Ansi.MarkupLineInterpolated($"Seeded {distinct} files from {settings.ShareFrom} ({seeded.Sum(s => s.Count) - distinct} of them on two peers)");
        }
        if (Telemetry(settings.Otlp, Environment.GetEnvironmentVariable) is { } telemetry)
        {
            console.Ansi.MarkupLineInterpolated($"Telemetry: {telemetry}");
        }
        var first = state.Peers[0].Api;
        var hint = first.EndsWith(":8080", StringComparison.Ordinal)
            ? "p2pmesh search '*'"
            : $"p2pmesh search '*' --api {first}";
        console.Ansi.MarkupLineInterpolated($"Try: [bold]{hint}[/]   Stop: Ctrl-C");
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
