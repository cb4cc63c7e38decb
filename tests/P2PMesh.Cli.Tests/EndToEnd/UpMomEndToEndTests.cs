using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using P2PMesh.Cli.LocalMesh;
using P2PMesh.Cli.Tests.Infrastructure;
using Xunit.Abstractions;

namespace P2PMesh.Cli.Tests.EndToEnd;

/// <summary>
/// <c>p2pmesh up --mom local</c> with real processes: a rabbitmq-server started first on a free port, every child
/// pointed at it through its environment (<c>Mom__Uri</c>, never its command line), the summary naming it without its
/// password, and the node gone (its port closed, its directory deleted) once up has stopped, by SIGTERM or, through the
/// watchdog, SIGKILL.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed partial class UpMomEndToEndTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _temp = new("p2pmesh-cli-mom-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task UpMomLocal_ChildrenGetTheBroker_AndItStopsWithTheMesh()
    {
        Assert.True(LocalBroker.FindServer() is not null, "These tests need a real RabbitMQ broker. " + LocalBroker.InstallHint);
        var directory = Path.Combine(_temp.Path, "mesh");
        Match broker;
        await using (var up = await RunningUp.StartAsync(directory, 1, output, "--mom", "local"))
        {
            // Assert: the summary's Broker line, without the password; every child has Mom__Uri in its environment, and
            // the URI (with its password) on no child's command line.
            broker = BrokerLine().Match(up.Cli.Out);
            Assert.True(broker.Success, up.Cli.Out);
            Assert.DoesNotContain("guest:guest", up.Cli.Out, StringComparison.Ordinal);
            var port = int.Parse(broker.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(await AcceptsAsync(port), $"nothing listens on the broker's port {port}");
            foreach (var pid in up.ChildPids)
            {
                var environment = (await File.ReadAllTextAsync($"/proc/{pid}/environ")).Split('\0');
                Assert.Contains($"Mom__Uri=amqp://guest:guest@127.0.0.1:{port}/", environment);
                var commandLine = (await File.ReadAllTextAsync($"/proc/{pid}/cmdline")).Replace('\0', ' ');
                Assert.DoesNotContain("guest:guest", commandLine, StringComparison.Ordinal);
                Assert.DoesNotContain("amqp://", commandLine, StringComparison.Ordinal);
            }
            PosixSignals.TryTerminate(up.Cli.Process.Id);
            using var exit = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await up.Cli.Process.WaitForExitAsync(exit.Token);
        }

        // Assert: the broker stopped last, and its directory went with it.
        Assert.False(await AcceptsAsync(int.Parse(broker.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.False(Directory.Exists(Path.Combine(Path.GetTempPath(), broker.Groups["node"].Value)));
    }

    [SkippableFact]
    public async Task UpMomLocal_KilledWithSigkill_WatchdogStopsTheBrokerItsEpmdAndDeletesItsDirectory()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "the watchdog is /bin/sh, and the test reads /proc");
        Assert.True(LocalBroker.FindServer() is not null, "These tests need a real RabbitMQ broker. " + LocalBroker.InstallHint);
        string? node = null;
        int? epmdPort = null;
        try
        {
            await using (var up = await RunningUp.StartAsync(Path.Combine(_temp.Path, "mesh"), 1, output, "--mom", "local"))
            {
                var broker = BrokerLine().Match(up.Cli.Out);
                Assert.True(broker.Success, up.Cli.Out);
                node = broker.Groups["node"].Value;
                var amqpPort = int.Parse(broker.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
                var vm = ProcessesNaming(node);
                Assert.NotEmpty(vm);   // the Erlang VM, whose command line names the node (and its environment the epmd port)
                epmdPort = vm.Select(EpmdPortOf).FirstOrDefault(p => p is not null);
                Assert.NotNull(epmdPort);
                Assert.True(await AcceptsAsync(epmdPort.Value), $"nothing listens on the node's epmd port {epmdPort}");

                // Act: SIGKILL, so no handler of up runs; only its watchdog is left to clean up.
                up.Cli.Process.Kill();
                await up.Cli.Process.WaitForExitAsync();

                // Assert: within a deadline, the node, its AMQP listener, its epmd and its directory are gone.
                var directory = Path.Combine(Path.GetTempPath(), node);
                var deadline = Stopwatch.StartNew();
                while ((ProcessesNaming(node).Count > 0 || await AcceptsAsync(amqpPort) || await AcceptsAsync(epmdPort.Value) || Directory.Exists(directory))
                    && deadline.Elapsed < TimeSpan.FromMinutes(1))
                {
                    await Task.Delay(250);
                }
                Assert.Empty(ProcessesNaming(node));
                Assert.False(await AcceptsAsync(amqpPort), $"the broker still listens on {amqpPort}");
                Assert.False(await AcceptsAsync(epmdPort.Value), $"the node's epmd still listens on {epmdPort}");
                Assert.False(Directory.Exists(directory), $"{directory} is still there");
            }
        }
        finally
        {
            // Whatever the watchdog left: the node's processes, its epmd, its directory.
            if (node is not null)
            {
                foreach (var pid in ProcessesNaming(node))
                {
                    CliProcess.KillIfAlive(pid);
                }
                if (epmdPort is { } port)
                {
                    await KillEpmdAsync(port);
                }
                var directory = Path.Combine(Path.GetTempPath(), node);
                if (Directory.Exists(directory))
                {
                    Directory.Delete(directory, recursive: true);
                }
            }
        }
    }

    /// <summary>The pids of the processes whose command line contains <paramref name="text"/> (Linux, from /proc).</summary>
    private static List<int> ProcessesNaming(string text)
    {
        var pids = new List<int>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }
            try
            {
                if (File.ReadAllText(Path.Combine(entry, "cmdline")).Contains(text, StringComparison.Ordinal))
                {
                    pids.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone in between, or not ours.
            }
        }
        return pids;
    }

    /// <summary>The <c>ERL_EPMD_PORT</c> in a process's environment, or <c>null</c>.</summary>
    private static int? EpmdPortOf(int pid)
    {
        try
        {
            var variable = File.ReadAllText($"/proc/{pid}/environ").Split('\0').FirstOrDefault(v => v.StartsWith("ERL_EPMD_PORT=", StringComparison.Ordinal));
            return int.TryParse(variable?["ERL_EPMD_PORT=".Length..], out var port) ? port : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static async Task KillEpmdAsync(int port)
    {
        var info = new ProcessStartInfo("epmd") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-kill" })
        {
            info.ArgumentList.Add(argument);
        }
        try
        {
            using var epmd = Process.Start(info);
            if (epmd is not null)
            {
                await epmd.StandardOutput.ReadToEndAsync();
                await epmd.WaitForExitAsync();
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"Broker:\s+amqp://guest@127\.0\.0\.1:(?<port>\d+)/ \(rabbitmq-server (?<node>p2pmesh-rabbitmq-[^@]+)@localhost")]
    private static partial Regex BrokerLine();
}
