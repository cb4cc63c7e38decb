using Google.Protobuf;
using P2PMesh.Bus.Tests.Infrastructure;
using P2PMesh.Core.Bus;
using P2PMesh.PServer.Tests;
using P2PMesh.Testing.Bus;
using P2PMesh.V1;

namespace P2PMesh.Bus.Tests;

[Collection(BrokerCollection.Name)]
public sealed class IndexEventConsumerTests(RabbitMqBroker broker)
{
    [Fact]
    public async Task EventsPublishedWhileTheDirectoryIsDown_AreAppliedWhenItComesBack()
    {
        // Arrange: the directory declares its durable queue, then goes down.
        var sink = new RecordingIndexEventSink();
        await (await DirectoryHost.StartAsync(broker.Uri, sink)).DisposeAsync();
        var run = Guid.NewGuid().ToString("N")[..8];
        var peers = new List<PServerHost>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                peers.Add(await PServerHost.StartAsync(IndexEventPublisherTests.MomSettings(broker, $"down-{run}-{i}")));
            }

            // Act: every peer adds a file while nobody consumes; the publishers' confirms mean the broker holds them.
            for (var i = 0; i < 3; i++)
            {
                await peers[i].AddFileAsync($"while-down-{i}.txt", System.Text.Encoding.UTF8.GetBytes($"content {i}"));
            }
            foreach (var peer in peers)
            {
                var publisher = (IndexEventPublisher)peer.Services.GetService(typeof(IndexEventPublisher))!;
                await Patience.UntilAsync(() => publisher.PendingCount == 0 && publisher.PublishedCount > 0, "the publisher's confirms");
            }
            Assert.DoesNotContain(sink.Applied, e => e.Peer.Id.StartsWith($"down-{run}", StringComparison.Ordinal));
            await using var directory = await DirectoryHost.StartAsync(broker.Uri, sink);

            // Assert: nothing was lost.
            await Patience.UntilAsync(
                () => Enumerable.Range(0, 3).All(i => sink.Has($"down-{run}-{i}", IndexEvent.Types.Change.Added, $"while-down-{i}.txt")),
                "the three events queued while the directory was down");
        }
        finally
        {
            foreach (var peer in peers)
            {
                await peer.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task PoisonMessages_AreDeadLettered_AndTheNextEventIsStillApplied()
    {
        // Arrange
        var sink = new RecordingIndexEventSink();
        await using var directory = await DirectoryHost.StartAsync(broker.Uri, sink);
        await using var probe = await BusProbe.ConnectAsync(broker.Uri);
        await probe.DrainAsync(MomTopology.DirectoryDeadLetterQueue);
        var peerId = "poison-" + Guid.NewGuid().ToString("N")[..8];
        var garbage = "this is not a protobuf message \u00ff\u00fe"u8.ToArray();
        var invalid = Event(peerId, RecordingIndexEventSink.InvalidPrefix + "x.txt");
        var good = Event(peerId, "good.txt");

        // Act: bytes that are no IndexEvent, another message type, an event the directory calls invalid, then a good one.
        await probe.PublishAsync(peerId + ".added", garbage, IndexEvent.Descriptor.FullName);
        await probe.PublishAsync(peerId + ".added", new BusSearchRequest { Pattern = "*" }.ToByteArray(), BusSearchRequest.Descriptor.FullName);
        await probe.PublishAsync(invalid);
        await probe.PublishAsync(good);

        // Assert: the good one is applied after the poison ones, which wait in the dead-letter queue.
        await Patience.UntilAsync(() => sink.Has(peerId, IndexEvent.Types.Change.Added, "good.txt"), "the event after the poison messages");
        var dead = new List<RabbitMQ.Client.BasicGetResult>();
        await Patience.UntilAsync(
            async () =>
            {
                dead.AddRange(await probe.DrainAsync(MomTopology.DirectoryDeadLetterQueue));
                return dead.Count >= 3;
            },
            "three dead-lettered messages");
        Assert.Contains(dead, m => m.Body.Span.SequenceEqual(garbage));
        Assert.Contains(dead, m => m.BasicProperties.Type == BusSearchRequest.Descriptor.FullName);
        Assert.Contains(dead, m => m.Body.Span.SequenceEqual(invalid.ToByteArray()));
        Assert.DoesNotContain(sink.Applied, e => e.File.Name.StartsWith(RecordingIndexEventSink.InvalidPrefix, StringComparison.Ordinal));
    }

    private static IndexEvent Event(string peerId, string name) => new()
    {
        Peer = new PeerInfo { Id = peerId, Address = "127.0.0.1:1" },
        Change = IndexEvent.Types.Change.Added,
        File = new SharedFile { Name = name, Size = 1, Sha256 = new string('a', 64), ChunkSize = 1024 },
        OccurredAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(DateTime.UtcNow),
    };
}
