using Microsoft.Extensions.DependencyInjection;
using P2PMesh.Bus.Tests.Infrastructure;
using P2PMesh.Core.Bus;
using P2PMesh.Core.Content;
using P2PMesh.PServer.Tests;
using P2PMesh.Testing.Bus;
using P2PMesh.V1;

namespace P2PMesh.Bus.Tests;

[Collection(BrokerCollection.Name)]
public sealed class IndexEventPublisherTests(RabbitMqBroker broker)
{
    [Fact]
    public async Task FileAddedThenRemoved_PublishesAddedThenRemovedWithThePeersRoutingKeys()
    {
        // Arrange: a queue of our own bound to this peer's events, then the PServer.
        var peerId = "pub-" + Guid.NewGuid().ToString("N")[..8];
        await using var probe = await BusProbe.StartAsync(broker.Uri, peerId + ".*");
        await using var peer = await PServerHost.StartAsync(MomSettings(broker, peerId));

        // Act
        await peer.AddFileAsync("report.pdf", "quarterly"u8.ToArray());
        var added = await probe.NextAsync(e => e.File.Name == "report.pdf");
        File.Delete(Path.Combine(peer.ShareDirectory, "report.pdf"));
        await peer.Services.GetRequiredService<ContentIndex>().RescanAsync();
        var removed = await probe.NextAsync(e => e.File.Name == "report.pdf" && e.Change == IndexEvent.Types.Change.Removed);

        // Assert
        Assert.Equal(IndexEvent.Types.Change.Added, added.Change);
        Assert.Equal(peerId, added.Peer.Id);
        Assert.Equal(peer.PeerAddress, added.Peer.Address);
        Assert.Equal(9UL, added.File.Size);
        Assert.Empty(peer.Services.GetRequiredService<ContentIndex>().Files);
        Assert.Equal(added.File.Sha256, removed.File.Sha256);
        Assert.NotNull(added.OccurredAt);
        Assert.Equal(0, peer.Services.GetRequiredService<IndexEventPublisher>().PendingCount);
    }

    [Fact]
    public async Task FilesPresentAtStart_ArePublishedAsAdded()
    {
        // Arrange: the share already holds a file when the PServer starts (its first scan).
        var peerId = "boot-" + Guid.NewGuid().ToString("N")[..8];
        await using var probe = await BusProbe.StartAsync(broker.Uri, peerId + ".added");
        var share = Directory.CreateTempSubdirectory("p2pmesh-bus-share-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(share, "seed.txt"), "seed");

            // Act
            await using var peer = await PServerHost.StartAsync([.. MomSettings(broker, peerId), $"--Content:ShareDirectory={share}"]);
            var added = await probe.NextAsync(e => e.File.Name == "seed.txt");

            // Assert
            Assert.Equal(peerId, added.Peer.Id);
        }
        finally
        {
            Directory.Delete(share, recursive: true);
        }
    }

    internal static string[] MomSettings(RabbitMqBroker broker, string peerId) =>
        [$"--Peer:Id={peerId}", broker.MomSetting, "--Mom:RecoveryInterval=00:00:00.500"];
}
