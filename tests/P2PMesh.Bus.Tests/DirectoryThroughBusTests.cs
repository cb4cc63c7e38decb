using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using P2PMesh.Bootstrap.Tests;
using P2PMesh.Bus.Tests.Infrastructure;
using P2PMesh.Core.Bus;
using P2PMesh.Core.Peers;
using P2PMesh.PServer.Tests;
using P2PMesh.Testing.Bus;

namespace P2PMesh.Bus.Tests;

/// <summary>
/// The directory, the agents and the bus together (docs/architecture.md, Directory and Message bus): a real Bootstrap
/// serving the directory with a database and <c>Mom:Uri</c>, three real PServers logged in to it and publishing index
/// events to a real broker.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class DirectoryThroughBusTests(RabbitMqBroker broker)
{
    [Fact]
    public async Task DirectoryRestartsOnItsDatabase_ChangesMadeWhileItWasDown_ArriveThroughTheBus()
    {
        // Arrange: a directory with a database and the bus; three PServers whose agents retry only after minutes, so
        // within this test only the bus can bring the directory what changes while it is down.
        var run = Guid.NewGuid().ToString("N")[..8];
        var ids = Enumerable.Range(0, 3).Select(i => $"dir-{run}-{i}").ToArray();
        var folder = System.IO.Directory.CreateTempSubdirectory("p2pmesh-directory-bus-").FullName;
        string[] directorySettings =
        [
            .. ids.Select(id => $"--Directory:Secrets:{id}=secret-{id}"),
            $"--Directory:DatabasePath={Path.Join(folder, "directory.db")}", "--Directory:DigestInterval=00:10:00",
            broker.MomSetting, "--Mom:RecoveryInterval=00:00:00.500",
        ];
        var bootstrap = await BootstrapHost.StartAsync(directorySettings);
        var peers = new List<PServerHost>();
        try
        {
            var port = bootstrap.Address.Port;
            foreach (var id in ids)
            {
                peers.Add(await PServerHost.StartAsync([
                    .. IndexEventPublisherTests.MomSettings(broker, id), $"--Neighbours:Bootstrap=127.0.0.1:{port}",
                    $"--Directory:Secret=secret-{id}", "--Directory:DeltaDelay=00:00:00.050",
                    "--Directory:RetryDelay=00:10:00", "--Directory:MaxRetryDelay=00:20:00"]));
            }
            for (var i = 0; i < 3; i++)
            {
                await peers[i].AddFileAsync($"before-{i}.txt", System.Text.Encoding.UTF8.GetBytes($"before {i}"));
            }
            List<string> seen = [];
            await Patience.UntilAsync(
                async () => (seen = await bootstrap.Channel.QueryHoldersAsync("before-*.txt")).Where(h => h.StartsWith($"dir-{run}-", StringComparison.Ordinal)).SequenceEqual(ids.Select((id, i) => $"{id}:before-{i}.txt")),
                "the three agents' logins and indexes");

            // Act: the directory goes down; every peer adds a file; each agent's attempt fails (its retry is minutes
            // away) and each publisher's events are confirmed by the broker; the directory comes back on its port and
            // database, recording every request it receives.
            await bootstrap.DisposeAsync();
            for (var i = 0; i < 3; i++)
            {
                await peers[i].AddFileAsync($"while-down-{i}.txt", System.Text.Encoding.UTF8.GetBytes($"while down {i}"));
            }
            foreach (var peer in peers)
            {
                var agent = peer.Services.GetServices<IHostedService>().OfType<DirectoryAgent>().Single();
                var publisher = peer.Services.GetRequiredService<IndexEventPublisher>();
                await Patience.UntilAsync(() => agent.ConsecutiveFailures > 0, $"{peer.Id}'s agent to fail against the stopped directory");
                await Patience.UntilAsync(() => publisher.PendingCount == 0, $"{peer.Id}'s events to be confirmed");
            }
            var recorder = new RequestRecorder();
            bootstrap = await BootstrapHost.StartAsync(s => s.AddSingleton<IStartupFilter>(recorder), [.. directorySettings, $"--Bootstrap:GrpcPort={port}"]);

            // Assert: the directory answers with every new file, and none of it came from an agent: it received no
            // Login and no SendIndex, and every agent is still waiting out its back-off.
            string[] expected = [.. ids.SelectMany((id, i) => new[] { $"{id}:before-{i}.txt", $"{id}:while-down-{i}.txt" })];
            await Patience.UntilAsync(
                async () => (await bootstrap.Channel.QueryHoldersAsync("*-*.txt")).Where(h => h.StartsWith($"dir-{run}-", StringComparison.Ordinal)).SequenceEqual(expected),
                "the files added while the directory was down");
            Assert.DoesNotContain(recorder.Paths, p => p.StartsWith("/p2pmesh.v1.PeerDirectory/", StringComparison.Ordinal) && !p.EndsWith("/Query", StringComparison.Ordinal));
            Assert.All(peers, p => Assert.True(p.Services.GetServices<IHostedService>().OfType<DirectoryAgent>().Single().ConsecutiveFailures > 0));
        }
        finally
        {
            foreach (var peer in peers)
            {
                await peer.DisposeAsync();
            }
            await bootstrap.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            System.IO.Directory.Delete(folder, recursive: true);
        }
    }
}
