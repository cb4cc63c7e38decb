using Microsoft.Extensions.DependencyInjection;
using P2PMesh.Bus.Tests.Infrastructure;
using P2PMesh.Core.Bus;
using P2PMesh.PServer.Tests;
using P2PMesh.PServer.Tests.Mesh;
using P2PMesh.Testing.Bus;

namespace P2PMesh.Bus.Tests;

[Collection(BrokerCollection.Name)]
public sealed class MomSearchTests(RabbitMqBroker broker)
{
    [Fact]
    public async Task SearchAsync_ThreePServersHoldAMatch_EveryHolderAnswers()
    {
        // Arrange: three PServers (not linked: the bus alone connects them), each holding a match, one holding another file too.
        var run = Guid.NewGuid().ToString("N")[..8];
        await using var mesh = await TestMesh.StartAsync(3, i => IndexEventPublisherTests.MomSettings(broker, $"mom-{run}-{i}"));
        for (var i = 0; i < 3; i++)
        {
            await mesh[i].AddFileAsync($"song-{run}-{i}.mp3", System.Text.Encoding.UTF8.GetBytes($"la {i}"));
            await mesh[i].Services.GetRequiredService<MomSearchResponder>().Subscribed.WaitAsync(Patience.Default);
        }
        await mesh[2].AddFileAsync($"notes-{run}.txt", "not a song"u8.ToArray());
        var search = mesh[0].Services.GetRequiredService<IMomSearch>();

        // Act
        var result = await search.SearchAsync(Guid.NewGuid().ToByteArray(), $"song-{run}-*.mp3", DateTime.UtcNow.AddSeconds(3), CancellationToken.None);

        // Assert
        Assert.Equal(3, result.Replies);
        Assert.Equal(
            Enumerable.Range(0, 3).Select(i => ($"mom-{run}-{i}", $"song-{run}-{i}.mp3", mesh[i].PeerAddress)).Order(),
            result.Hits.Select(h => (h.Holder.Id, h.Name, h.Holder.Address)).Order());
        Assert.All(result.Hits, h => Assert.Equal([h.Holder.Id], h.Path));
    }

    [Fact]
    public async Task SearchAsync_NobodyHoldsAMatch_ReturnsNoRepliesAtTheDeadline()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        await using var peer = await PServerHost.StartAsync(IndexEventPublisherTests.MomSettings(broker, $"none-{run}"));
        await peer.Services.GetRequiredService<MomSearchResponder>().Subscribed.WaitAsync(Patience.Default);

        var result = await peer.Services.GetRequiredService<IMomSearch>()
            .SearchAsync(Guid.NewGuid().ToByteArray(), $"missing-{run}", DateTime.UtcNow.AddSeconds(1), CancellationToken.None);

        Assert.Equal(0, result.Replies);
        Assert.Empty(result.Hits);
    }
}
