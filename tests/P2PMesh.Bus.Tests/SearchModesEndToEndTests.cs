using System.Net.Http.Json;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using P2PMesh.Bootstrap.Tests;
using P2PMesh.Bus.Tests.Infrastructure;
using P2PMesh.Core.Bus;
using P2PMesh.PClientApi.Contracts;
using P2PMesh.PClientApi.Tests;
using P2PMesh.PServer.Tests.Mesh;
using P2PMesh.Testing.Bus;
using P2PMesh.V1;
using Via = P2PMesh.V1.SearchRequest.Types.Via;

namespace P2PMesh.Bus.Tests;

/// <summary>
/// The search modes on real processes' paths (docs/architecture.md, Search modes): the PServer's <c>Search</c> RPC and the
/// PClient-API's <c>GET /api/search</c> with <c>via=mom</c> on three PServers and a real broker, and <c>via=auto</c> against
/// a real directory.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class SearchModesEndToEndTests(RabbitMqBroker broker)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Search_ViaMom_EveryHolderAnswersThroughTheRpcAndTheApi()
    {
        // Arrange: three PServers, not linked (only the bus connects them), each holding a match.
        var run = Guid.NewGuid().ToString("N")[..8];
        await using var mesh = await TestMesh.StartAsync(3, i => IndexEventPublisherTests.MomSettings(broker, $"e2e-{run}-{i}"));
        for (var i = 0; i < 3; i++)
        {
            await mesh[i].AddFileAsync($"track-{run}-{i}.ogg", System.Text.Encoding.UTF8.GetBytes($"track {i}"));
            await mesh[i].Services.GetRequiredService<MomSearchResponder>().Subscribed.WaitAsync(Patience.Default);
        }
        await using var api = await ApiHost.StartAsync(mesh[0].PeerAddress);

        // Act
        var rpc = await SearchAsync(mesh[0].Client, $"track-{run}-*.ogg", Via.Mom);
        var rest = await api.Client.GetFromJsonAsync<SearchResponse>($"/api/search?q=track-{run}-*.ogg&via=mom", Json);

        // Assert
        Assert.Equal(StatusCode.OK, rpc.Status.StatusCode);
        Assert.Equal(
            Enumerable.Range(0, 3).Select(i => ($"e2e-{run}-{i}", $"track-{run}-{i}.ogg", mesh[i].PeerAddress)).Order(),
            rpc.Hits.Select(h => (h.Holder.Id, h.Name, h.Holder.Address)).Order());
        Assert.Equal(Via.Mom, rpc.Stats.AnsweredBy);
        Assert.Equal(1u + 3u, rpc.Stats.Messages);
        Assert.Equal(3u, rpc.Stats.PeersReached);
        Assert.NotNull(rest);
        Assert.Equal(SearchModes.Mom, rest.Stats!.AnsweredBy);
        Assert.Equal(1 + 3, rest.Stats.Messages);
        Assert.Equal(3, rest.Stats.Hits);
    }

    [Fact]
    public async Task Search_ViaAuto_ARealDirectoryAnswers()
    {
        // Arrange: a real Bootstrap serving the directory, two PServers logged in to it, one holding the file.
        var run = Guid.NewGuid().ToString("N")[..8];
        string[] ids = [$"auto-{run}-0", $"auto-{run}-1"];
        await using var bootstrap = await BootstrapHost.StartAsync([.. ids.Select(id => $"--Directory:Secrets:{id}=secret-{id}")]);
        await using var mesh = await TestMesh.StartAsync(2, i =>
            [$"--Peer:Id={ids[i]}", $"--Neighbours:Bootstrap=127.0.0.1:{bootstrap.Address.Port}", $"--Directory:Secret=secret-{ids[i]}", "--Directory:DeltaDelay=00:00:00.050"]);
        await mesh[1].AddFileAsync($"indexed-{run}.bin", [1, 2, 3]);
        await Patience.UntilAsync(async () => (await bootstrap.Channel.QueryHoldersAsync($"indexed-{run}.bin")).Count == 1, "the directory to index the file");

        // Act
        var result = await SearchAsync(mesh[0].Client, $"indexed-{run}.bin", Via.Auto);

        // Assert
        Assert.Equal(StatusCode.OK, result.Status.StatusCode);
        Assert.Equal([(ids[1], mesh[1].PeerAddress)], result.Hits.Select(h => (h.Holder.Id, h.Holder.Address)));
        Assert.Equal(Via.Directory, result.Stats.AnsweredBy);
        Assert.Equal(1u, result.Stats.Messages);
        Assert.Equal("", result.Stats.FallbackReason);
    }

    private static async Task<SearchOutcome> SearchAsync(Peer.PeerClient client, string pattern, Via via)
    {
        var request = new SearchRequest { QueryId = ByteString.CopyFrom(Guid.NewGuid().ToByteArray()), Pattern = pattern, Ttl = 3, Via = via };
        using var call = client.Search(request, deadline: DateTime.UtcNow.AddSeconds(3));
        return await SearchOutcome.ReadAsync(call);
    }
}
