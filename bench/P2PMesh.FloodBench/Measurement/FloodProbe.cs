using System.Diagnostics;
using Google.Protobuf;
using Grpc.Core;
using P2PMesh.Contracts;
using P2PMesh.Core.Peers;
using P2PMesh.PServer.Tests.Mesh;
using P2PMesh.V1;

namespace P2PMesh.FloodBench.Measurement;

/// <summary>
/// The benchmark's client: one channel per origin (the product's, from a <see cref="PeerChannelPool"/>), opened
/// once and kept (so a search's time is the flood's, not a TCP and HTTP/2 set-up), and one timed
/// <c>Peer.Search</c> call per sample with the generated client.
/// <see cref="TestMesh.SearchAsync"/> opens a channel per search and only times the whole call, which
/// is why this probe exists.
/// </summary>
internal sealed class FloodProbe(TestMesh mesh, string pattern, TimeSpan timeout) : IDisposable
{
    private readonly PeerChannelPool _channels = new();

    /// <summary>Runs one flood through peer <paramref name="origin"/> (hops 0, a fresh query id) and times it.</summary>
    public Task<FloodSample> SearchAsync(int origin, int ttl, bool explain, CancellationToken cancellationToken) =>
        SearchAsync(origin, NewQueryId(), pattern, ttl, SearchRequest.Types.Via.Flood, timeout, explain, cancellationToken);

    /// <summary>A fresh 16-byte query id.</summary>
    public static ByteString NewQueryId() => ByteString.CopyFrom(Guid.NewGuid().ToByteArray());

    /// <summary>
    /// Runs one search through peer <paramref name="origin"/> (hops 0) with the given query id, pattern, mode
    /// (<c>SearchRequest.via</c>) and client deadline (<paramref name="deadlineAfter"/> from now), and times it.
    /// </summary>
    public async Task<FloodSample> SearchAsync(
        int origin, ByteString queryId, string searchPattern, int ttl, SearchRequest.Types.Via via, TimeSpan deadlineAfter, bool explain, CancellationToken cancellationToken)
    {
        var peer = _channels.Peer(new PeerAddress("127.0.0.1", mesh[origin].Address.Port));
        var request = new SearchRequest
        {
            QueryId = queryId,
            Pattern = searchPattern,
            Ttl = (uint)ttl,
            Explain = explain,
            Via = via,
        };
        TimeSpan? firstHit = null;
        TimeSpan? lastHit = null;
        var hits = 0;
        FloodStats? stats = null;
        List<Edge> edges = [];
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var call = peer.Search(request, deadline: DateTime.UtcNow + deadlineAfter, cancellationToken: cancellationToken);
            await foreach (var e in call.ResponseStream.ReadAllAsync(cancellationToken))
            {
                switch (e.EventCase)
                {
                    case SearchEvent.EventOneofCase.Hit:
                        lastHit = Stopwatch.GetElapsedTime(started);
                        firstHit ??= lastHit;
                        hits++;
                        break;
                    case SearchEvent.EventOneofCase.Edge:
                        edges.Add(e.Edge);
                        break;
                    case SearchEvent.EventOneofCase.Stats:
                        stats = e.Stats;
                        break;
                }
            }
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
        {
            return new FloodSample(origin, ttl, firstHit, lastHit, Stopwatch.GetElapsedTime(started), hits, null, edges, $"{ex.StatusCode}: {ex.Status.Detail}");
        }
        var lastEvent = Stopwatch.GetElapsedTime(started);
        return stats is null
            ? new FloodSample(origin, ttl, firstHit, lastHit, lastEvent, hits, null, edges, "stream ended without statistics")
            : new FloodSample(origin, ttl, firstHit, lastHit, lastEvent, hits, stats, edges, null);
    }

    public void Dispose() => _channels.Dispose();
}
