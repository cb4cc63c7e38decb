using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using P2PMesh.Contracts;
using P2PMesh.Core.Peers;
using P2PMesh.V1;

namespace P2PMesh.PServer.Tests.Mesh;

/// <summary>
/// N real PServers in this process, each on 127.0.0.1 and its own port with its own share, linked
/// into a given topology through the real Link RPC. Disposing stops every peer.
/// </summary>
public sealed class TestMesh : IAsyncDisposable
{
    private readonly PServerHost?[] _peers;
    private readonly Dictionary<string, int> _indexById;

    private TestMesh(PServerHost[] peers)
    {
        _peers = peers;
        _indexById = peers.Select((p, i) => (p.Id, i)).ToDictionary(x => x.Id, x => x.i);
    }

    public int Count => _peers.Length;

    public PServerHost this[int index] => _peers[index] ?? throw new InvalidOperationException($"peer {index} was stopped");

    public int IndexOf(string peerId) => _indexById[peerId];

    /// <summary>
    /// Starts <paramref name="count"/> peers named p0..p(n-1); auto-discovery off and a 15 s
    /// <c>Neighbours:CallTimeout</c> (the Link calls that build a topology must not fail because the
    /// test run keeps both cores busy) unless settings say otherwise.
    /// </summary>
    public static async Task<TestMesh> StartAsync(int count, Func<int, string[]>? settings = null, Func<int, Action<WebApplication>?>? configureApp = null)
    {
        var starts = Enumerable.Range(0, count).Select(i => PServerHost.StartAsync(
            [$"--Peer:Id=p{i}", "--Neighbours:AutoDiscover=false", "--Neighbours:CallTimeout=00:00:15", .. settings?.Invoke(i) ?? []],
            configureApp?.Invoke(i))).ToList();
        try
        {
            return new TestMesh(await Task.WhenAll(starts));
        }
        catch
        {
            foreach (var started in starts.Where(s => s.IsCompletedSuccessfully))
            {
                await started.Result.DisposeAsync();
            }
            throw;
        }
    }

    /// <summary>Links every edge of <paramref name="topology"/>: a asks b with the Link RPC, then lists b.</summary>
    public async Task ConnectAsync(Topology topology)
    {
        foreach (var (a, b) in topology.Edges)
        {
            var client = this[a].Services.GetRequiredService<MeshClient>();
            var reply = await client.LinkAsync(new PeerAddress("127.0.0.1", this[b].Address.Port), CancellationToken.None);
            if (this[a].Neighbours.TryAdd(reply.Peer) == NeighbourAddResult.Full)
            {
                throw new InvalidOperationException($"p{a} is full; raise Neighbours:MaxDegree for {topology}");
            }
        }
        await WarmUpAsync();
    }

    /// <summary>
    /// Every live peer pings each of its neighbours, as neighbour maintenance does in a running mesh,
    /// so that both directions of every link have an open HTTP/2 connection before a flood starts.
    /// </summary>
    public Task WarmUpAsync() => Task.WhenAll(_peers.Where(p => p is not null).SelectMany(peer =>
        peer!.Neighbours.Snapshot().Select(n => PeerAddress.TryParse(n.Address, out var address, out _)
            ? peer.Services.GetRequiredService<MeshClient>().PingAsync(address, CancellationToken.None)
            : throw new InvalidOperationException($"bad neighbour address {n.Address}"))));

    /// <summary>Stops peer <paramref name="index"/> gracefully: it unlinks from its neighbours and leaves the bootstrap.</summary>
    public async Task StopAsync(int index)
    {
        var peer = this[index];
        _peers[index] = null;
        await peer.DisposeAsync();
    }

    /// <summary>Crashes peer <paramref name="index"/>: its port closes with no goodbye (see <see cref="PServerHost.KillAsync"/>).</summary>
    public async Task KillAsync(int index)
    {
        var peer = this[index];
        _peers[index] = null;
        _killed.Add(peer);
        await peer.KillAsync();
    }

    private readonly List<PServerHost> _killed = [];

    /// <summary>Runs a search through peer <paramref name="origin"/> as a client would (hops 0) and collects every event.</summary>
    public async Task<SearchOutcome> SearchAsync(int origin, string pattern, uint ttl, bool explain = false, TimeSpan? timeout = null, byte[]? queryId = null)
    {
        var request = new SearchRequest
        {
            QueryId = ByteString.CopyFrom(queryId ?? Guid.NewGuid().ToByteArray()),
            Pattern = pattern,
            Ttl = ttl,
            Explain = explain,
        };
        using var call = this[origin].Client.Search(request, deadline: DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30)));
        return await SearchOutcome.ReadAsync(call);
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_peers.Where(p => p is not null).Concat(_killed).Select(p => p!.DisposeAsync().AsTask()));
    }
}
