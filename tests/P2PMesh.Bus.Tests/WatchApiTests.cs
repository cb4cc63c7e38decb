using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using P2PMesh.Bus.Tests.Infrastructure;
using P2PMesh.PClientApi.Contracts;
using P2PMesh.PClientApi.Tests;
using P2PMesh.PServer.Tests;
using P2PMesh.Testing.Bus;

namespace P2PMesh.Bus.Tests;

[Collection(BrokerCollection.Name)]
public sealed class WatchApiTests(RabbitMqBroker broker)
{
    [Fact]
    public async Task Watch_AFileIsAddedOnAnotherPeer_StreamsItAsAnEvent()
    {
        // Arrange: peer a's API watches; peer b adds files.
        var run = Guid.NewGuid().ToString("N")[..8];
        await using var a = await PServerHost.StartAsync(IndexEventPublisherTests.MomSettings(broker, $"watch-{run}-a"));
        await using var b = await PServerHost.StartAsync(IndexEventPublisherTests.MomSettings(broker, $"watch-{run}-b"));
        await using var api = await ApiHost.StartAsync(a.PeerAddress, broker.MomSetting, $"--Peer:Id=watch-{run}-a");
        using var patience = new CancellationTokenSource(Patience.Default);
        using var response = await api.Client.GetAsync($"/api/watch?q=*-{run}.iso", HttpCompletionOption.ResponseHeadersRead, patience.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(patience.Token));
        Assert.Equal($": watching *-{run}.iso", await reader.ReadLineAsync(patience.Token));

        // Act: a file that does not match, then one that does.
        await b.AddFileAsync($"notes-{run}.txt", "no"u8.ToArray());
        await b.AddFileAsync($"distro-{run}.iso", "an iso image"u8.ToArray());

        // Assert: the first data line is the matching file, with its holder.
        string? line;
        do
        {
            line = await reader.ReadLineAsync(patience.Token);
        }
        while (line is not null && !line.StartsWith("data: ", StringComparison.Ordinal));
        Assert.NotNull(line);
        var file = JsonSerializer.Deserialize<WatchedFile>(line["data: ".Length..], JsonSerializerOptions.Web)!;
        Assert.Equal($"distro-{run}.iso", file.Name);
        Assert.Equal(12, file.Size);
        Assert.Equal($"watch-{run}-b", file.PeerId);
        Assert.Equal(b.PeerAddress, file.Address);
        Assert.Equal(64, file.Sha256.Length);
    }

    [Fact]
    public async Task Watch_WithoutMomUri_Is501NamingTheSetting()
    {
        await using var peer = await PServerHost.StartAsync("--Peer:Id=watch-no-mom");
        await using var api = await ApiHost.StartAsync(peer.PeerAddress);

        using var response = await api.Client.GetAsync("/api/watch?q=*.iso");

        Assert.Equal(HttpStatusCode.NotImplemented, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("Mom:Uri", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_WithoutPattern_Is400()
    {
        await using var peer = await PServerHost.StartAsync("--Peer:Id=watch-no-q");
        await using var api = await ApiHost.StartAsync(peer.PeerAddress, broker.MomSetting);

        using var response = await api.Client.GetAsync("/api/watch");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
