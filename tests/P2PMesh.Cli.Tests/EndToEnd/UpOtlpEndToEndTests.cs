using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using P2PMesh.Cli.Tests.Infrastructure;
using Xunit.Abstractions;

namespace P2PMesh.Cli.Tests.EndToEnd;

/// <summary>
/// <c>p2pmesh up --otlp URL</c> with real processes: what each child's environment (and command line) actually holds, read from
/// <c>/proc/&lt;pid&gt;/environ</c> (and <c>cmdline</c>, Linux) for every pid in the state file. The "collector" is a loopback
/// listener on port 0 that accepts nothing: exports to it fail quietly, which is all a child may do.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class UpOtlpEndToEndTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private readonly TempDirectory _temp = new("p2pmesh-cli-otlp-");
    private readonly TcpListener _collector = StartCollector();

    private string CollectorUrl => $"http://127.0.0.1:{((IPEndPoint)_collector.LocalEndpoint).Port}";

    public void Dispose()
    {
        _collector.Stop();
        _temp.Dispose();
    }

    [SkippableFact]
    public async Task Up_Otlp_EveryChildGetsTheEndpointItsServiceNameAndPeerId_ContradictingInheritedVariablesRemoved()
    {
        SkipUnlessProcEnviron();
        // Arrange: an environment that would send the children elsewhere, or by another protocol, if inherited.
        var inherited = new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:1",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = "http://127.0.0.1:1/v1/traces",
            ["OTEL_SERVICE_NAME"] = "one-name-for-all",
            ["OTEL_RESOURCE_ATTRIBUTES"] = "deployment.environment=otlp-test",
        };

        // Act
        var (children, commandLines, summary) = await RunMeshAsync(["--otlp", CollectorUrl], inherited);

        // Assert: the endpoint as given, a service name per kind, gRPC by default (no protocol variable), no
        // per-signal override; everything else inherited as it was.
        Assert.Equal(["bootstrap", "peer-1/api", "peer-1/pserver", "peer-2/api", "peer-2/pserver"], children.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, environment) in children)
        {
            var expectedService = name == "bootstrap" ? "p2pmesh-bootstrap" : name.EndsWith("/api", StringComparison.Ordinal) ? "p2pmesh-pclient-api" : "p2pmesh-pserver";
            Assert.Equal(CollectorUrl, environment.GetValueOrDefault("OTEL_EXPORTER_OTLP_ENDPOINT"));
            Assert.Equal(expectedService, environment.GetValueOrDefault("OTEL_SERVICE_NAME"));
            Assert.False(environment.ContainsKey("OTEL_EXPORTER_OTLP_PROTOCOL"), $"{name}: OTEL_EXPORTER_OTLP_PROTOCOL={environment.GetValueOrDefault("OTEL_EXPORTER_OTLP_PROTOCOL")}");
            Assert.False(environment.ContainsKey("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"), name);
            Assert.Equal("deployment.environment=otlp-test", environment.GetValueOrDefault("OTEL_RESOURCE_ATTRIBUTES"));
        }
        Assert.Contains($"Telemetry: OTLP {CollectorUrl} (grpc) as p2pmesh-bootstrap, p2pmesh-pserver, p2pmesh-pclient-api", summary);

        // A peer's PServer and PClient-API are told the same peer id (their service.instance.id); the bootstrap none.
        foreach (var (name, commandLine) in commandLines)
        {
            var ids = commandLine.Where(a => a.StartsWith("--Peer:Id=", StringComparison.Ordinal)).ToList();
            if (name == "bootstrap")
            {
                Assert.Empty(ids);
            }
            else
            {
                Assert.Equal([$"--Peer:Id={name[..name.IndexOf('/', StringComparison.Ordinal)]}"], ids);
            }
        }
    }

    [SkippableFact]
    public async Task Up_NoOtlp_ChildrenInheritTheOtelVariablesUntouched()
    {
        SkipUnlessProcEnviron();
        var inherited = new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = CollectorUrl,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_SERVICE_NAME"] = "my-own-name",
            ["OTEL_TRACES_SAMPLER"] = "parentbased_traceidratio",
            ["OTEL_TRACES_SAMPLER_ARG"] = "0.25",
        };

        var (children, _, summary) = await RunMeshAsync([], inherited);

        Assert.Equal(5, children.Count);
        foreach (var (name, environment) in children)
        {
            foreach (var (key, value) in inherited)
            {
                Assert.True(value == environment.GetValueOrDefault(key), $"{name}: {key}={environment.GetValueOrDefault(key)}, expected {value}");
            }
        }
        Assert.Contains($"Telemetry: OTLP {CollectorUrl} (http/protobuf), inherited from $OTEL_EXPORTER_OTLP_ENDPOINT", summary);
    }

    /// <summary>
    /// Runs <c>up --peers 2</c> with <paramref name="args"/> until it is ready, reads every child's environment
    /// and command line, stops it with SIGTERM and checks that no child is left; returns the environments and
    /// command lines by child name and what <c>up</c> printed on stdout.
    /// </summary>
    private async Task<(Dictionary<string, Dictionary<string, string>> Children, Dictionary<string, string[]> CommandLines, string Summary)> RunMeshAsync(
        string[] args, Dictionary<string, string> environment)
    {
        var statePath = Path.Combine(_temp.Path, "mesh.json");
        using var up = CliProcess.Start(["up", "--peers", "2", "--dir", Path.Combine(_temp.Path, "mesh"), "--state", statePath, "--api-port", "0", .. args], environment);
        var pids = new List<int>();
        try
        {
            var state = await up.WaitForStateAsync(statePath, StartTimeout);
            pids.AddRange(state.Processes.Select(p => p.Pid));
            var children = state.Processes.ToDictionary(p => p.Name, p => ReadEnvironment(p.Pid), StringComparer.Ordinal);
            var commandLines = state.Processes.ToDictionary(p => p.Name, p => ReadCommandLine(p.Pid), StringComparer.Ordinal);

            // The summary is printed before the state file is written; the pipe may lag a little.
            var printed = Stopwatch.StartNew();
            while (!up.Out.Contains("Try:", StringComparison.Ordinal) && printed.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(50);
            }

            await up.TerminateAsync();
            await CliProcess.AssertAllExitAsync(pids, TimeSpan.FromSeconds(15));
            return (children, commandLines, up.Out);
        }
        finally
        {
            output.WriteLine($"--- up stdout:{Environment.NewLine}{up.Out}--- up stderr:{Environment.NewLine}{up.Error}");
            foreach (var pid in pids)
            {
                CliProcess.KillIfAlive(pid);
            }
        }
    }

    /// <summary>A process's environment as it was started (<c>/proc/&lt;pid&gt;/environ</c>: NUL-separated KEY=VALUE).</summary>
    private static Dictionary<string, string> ReadEnvironment(int pid)
    {
        var text = Encoding.UTF8.GetString(File.ReadAllBytes($"/proc/{pid}/environ"));
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in text.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                environment[entry[..equals]] = entry[(equals + 1)..];
            }
        }
        return environment;
    }

    /// <summary>A process's arguments (<c>/proc/&lt;pid&gt;/cmdline</c>: NUL-terminated, the program first).</summary>
    private static string[] ReadCommandLine(int pid) =>
        Encoding.UTF8.GetString(File.ReadAllBytes($"/proc/{pid}/cmdline")).Split('\0', StringSplitOptions.RemoveEmptyEntries);

    private static void SkipUnlessProcEnviron()
    {
        Skip.IfNot(OperatingSystem.IsLinux() && File.Exists($"/proc/{Environment.ProcessId}/environ"), "reads the children's environments from /proc/<pid>/environ (Linux)");
        Assert.True(File.Exists(CliProcess.CliDll), $"build the CLI first: {CliProcess.CliDll}");
    }

    private static TcpListener StartCollector()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return listener;
    }
}
