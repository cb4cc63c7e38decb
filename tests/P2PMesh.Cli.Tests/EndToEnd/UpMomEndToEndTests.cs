using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using P2PMesh.Cli.LocalMesh;
using P2PMesh.Cli.Tests.Infrastructure;
using Xunit.Abstractions;

namespace P2PMesh.Cli.Tests.EndToEnd;

/// <summary>
/// <c>p2pmesh up --mom local</c> with real processes: a rabbitmq-server started first on a free port, every child
/// pointed at it, the summary naming it without its password, and the node gone (its port closed, its directory
/// deleted) once up has stopped.
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
            // Assert: the summary's Broker line, without the password; every child has Mom:Uri on its command line.
            broker = BrokerLine().Match(up.Cli.Out);
            Assert.True(broker.Success, up.Cli.Out);
            Assert.DoesNotContain("guest:guest", up.Cli.Out, StringComparison.Ordinal);
            var port = int.Parse(broker.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(await AcceptsAsync(port), $"nothing listens on the broker's port {port}");
            foreach (var pid in up.ChildPids)
            {
                var commandLine = (await File.ReadAllTextAsync($"/proc/{pid}/cmdline")).Replace('\0', ' ');
                Assert.Contains($"--Mom:Uri=amqp://guest:guest@127.0.0.1:{port}/", commandLine, StringComparison.Ordinal);
            }
            PosixSignals.TryTerminate(up.Cli.Process.Id);
            using var exit = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await up.Cli.Process.WaitForExitAsync(exit.Token);
        }

        // Assert: the broker stopped last, and its directory went with it.
        Assert.False(await AcceptsAsync(int.Parse(broker.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.False(Directory.Exists(Path.Combine(Path.GetTempPath(), broker.Groups["node"].Value)));
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
