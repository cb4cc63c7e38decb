using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using P2PMesh.Bus.Tests.Infrastructure;
using P2PMesh.Core.Bus;
using P2PMesh.PServer.Tests.Mesh;
using P2PMesh.Testing.Bus;
using P2PMesh.V1;

namespace P2PMesh.Bus.Tests;

[Collection(BrokerCollection.Name)]
public sealed class BrokerRestartTests(RabbitMqBroker broker)
{
    [Fact]
    public async Task BrokerRestartsMidRun_PeersKeepServingFloods_MomSearchIsUnavailable_AndEventsFromTheOutageArePublishedAfterRecovery()
    {
        // Arrange: two linked PServers on the bus, and a durable queue of ours (it survives the restart) for peer 1's events.
        var run = Guid.NewGuid().ToString("N")[..8];
        var queue = $"bus-tests.restart-{run}";
        await using var mesh = await TestMesh.StartAsync(2, i => IndexEventPublisherTests.MomSettings(broker, $"restart-{run}-{i}"));
        await mesh.ConnectAsync(Topology.Line(2));
        await using var keeper = await BusProbe.StartAsync(broker.Uri, $"restart-{run}-1.*", queue, consume: false);
        await mesh[1].AddFileAsync("before.txt", "before"u8.ToArray());
        var publisher = mesh[1].Services.GetRequiredService<IndexEventPublisher>();
        await Patience.UntilAsync(() => publisher.PendingCount == 0 && publisher.PublishedCount >= 1, "the first event's confirm");

        // Act: the broker goes away; a file is added meanwhile and the mesh is searched by flooding.
        await broker.StopAsync();
        await mesh[1].AddFileAsync("during.txt", "during"u8.ToArray());
        var flood = await mesh.SearchAsync(0, "during.txt", ttl: 2);
        var pendingDuringOutage = publisher.PendingCount;
        var momSearchDuringOutage = await Assert.ThrowsAsync<RpcException>(() => mesh[0].Services.GetRequiredService<IMomSearch>()
            .SearchAsync(Guid.NewGuid().ToByteArray(), "during.txt", DateTime.UtcNow.AddSeconds(2), CancellationToken.None));
        await broker.StartAsync();

        // Assert: the flood worked without the broker; after recovery the event kept meanwhile reaches the queue.
        Assert.Equal([$"restart-{run}-1"], flood.Hits.Select(h => h.Holder.Id));
        Assert.Equal(1, pendingDuringOutage);
        Assert.Equal(StatusCode.Unavailable, momSearchDuringOutage.StatusCode);
        Assert.Contains(broker.Uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), momSearchDuringOutage.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("guest:guest", momSearchDuringOutage.Status.Detail, StringComparison.Ordinal);
        await Patience.UntilAsync(() => publisher.PendingCount == 0, "the publisher to recover");
        await using var probe = await BusProbe.ConnectAsync(broker.Uri);
        var events = new List<IndexEvent>();
        await Patience.UntilAsync(
            async () =>
            {
                events.AddRange((await probe.DrainAsync(queue)).Select(m => IndexEvent.Parser.ParseFrom(m.Body.Span)));
                return events.Any(e => e.File.Name == "during.txt");
            },
            "the event of the outage in the durable queue");
        Assert.Contains(events, e => e.File.Name == "before.txt" && e.Change == IndexEvent.Types.Change.Added);

        // And mom search works again (the responders' queues and the reply queue were recovered).
        await Patience.UntilAsync(
            async () => (await mesh[0].Services.GetRequiredService<IMomSearch>()
                .SearchAsync(Guid.NewGuid().ToByteArray(), "during.txt", DateTime.UtcNow.AddSeconds(2), CancellationToken.None)).Replies == 1,
            "a mom search answered after the restart");
    }
}
