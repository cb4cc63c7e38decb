using System.Diagnostics;
using Google.Protobuf;
using Microsoft.Extensions.Options;
using P2PMesh.Contracts;
using P2PMesh.Core.Peers;
using P2PMesh.Core.Search;
using P2PMesh.Core.Telemetry;
using Grpc.Core;
using P2PMesh.PClientApi.Contracts;
using P2PMesh.PClientApi.Internal;
using P2PMesh.V1;

namespace P2PMesh.PClientApi.Mesh;

/// <summary>
/// The API's client of the PServers: floods, files and neighbours come from this peer's own PServer
/// (<see cref="PClientApiOptions.PServer"/>, the generated <see cref="Peer.PeerClient"/> registered with
/// <c>AddGrpcClient</c>), uploads and pings go straight to the PServer concerned (a <see cref="PeerChannelPool"/>
/// channel). gRPC failures surface as <see cref="RpcException"/>.
/// Each search is traced, when something listens, as the internal span <see cref="MeshSpanAttributes.SearchSpanName"/>
/// (see <see cref="MeshSpanAttributes"/>) on the host's <see cref="MeshActivitySources.Search"/> source: a child of
/// the current activity (the REST request's) and the parent of the gRPC call to the PServer, so it is the root of
/// the flood's tree in the trace.
/// </summary>
/// <param name="pserver">This peer's PServer.</param>
/// <param name="channels">The gRPC channels to other PServers.</param>
/// <param name="options">The API's settings.</param>
/// <param name="timeProvider">The clock for call deadlines.</param>
/// <param name="knownPeers">Where the holders its searches find are remembered.</param>
/// <param name="searchSource">The host's <see cref="MeshActivitySources.Search"/> source; <c>null</c> for no search spans.</param>
public sealed class PServerClient(
    Peer.PeerClient pserver,
    PeerChannelPool channels,
    IOptions<PClientApiOptions> options,
    TimeProvider timeProvider,
    KnownPeers knownPeers,
    [FromKeyedServices(MeshActivitySources.Search)] ActivitySource? searchSource = null)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);

    /// <summary>This peer's PServer (<see cref="PClientApiOptions.PServer"/>, validated at start-up, parsed once).</summary>
    public PeerAddress LocalPServer { get; } = PeerAddress.TryParse(options.Value.PServer, out var address, out _)
        ? address
        : throw new InvalidOperationException("Api:PServer is invalid");

    /// <summary>
    /// Searches <paramref name="pattern"/> from this peer the way <paramref name="via"/> says (docs/architecture.md, Search
    /// modes) and gathers the hits by SHA-256.
    /// </summary>
    /// <param name="pattern">A glob on file names or <c>sha256:&lt;64 hex&gt;</c>.</param>
    /// <param name="ttl">Hops a flood may travel.</param>
    /// <param name="explain">Whether to collect every forward of a flood (<see cref="SearchResponse.Edges"/>).</param>
    /// <param name="via">One of <see cref="SearchModes.All"/>.</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <exception cref="RpcException">INVALID_ARGUMENT for a bad pattern or TTL; UNAVAILABLE when the PServer (or, for
    /// <c>directory</c>, the directory) is down; FAILED_PRECONDITION for <c>directory</c> or <c>mom</c> when the PServer has no
    /// directory or broker.</exception>
    public async Task<SearchResponse> SearchAsync(string pattern, int ttl, bool explain, string via, CancellationToken cancellationToken)
    {
        var queryId = Guid.NewGuid().ToByteArray();
        var queryIdText = QueryIdFormat.Format(queryId);
        // Started before the call, so that the call's client span (and through traceparent the whole flood) is its child.
        using var span = searchSource?.StartActivity(MeshSpanAttributes.SearchSpanName, ActivityKind.Internal);
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag(MeshSpanAttributes.QueryId, queryIdText);
            span.SetTag(MeshSpanAttributes.Pattern, pattern);
            span.SetTag(MeshSpanAttributes.Ttl, (long)ttl);
        }
        try
        {
            var response = await FloodAsync(queryId, queryIdText, pattern, ttl, explain, via, cancellationToken).ConfigureAwait(false);
            knownPeers.Remember(response.Files.SelectMany(f => f.Sources).Select(s => s.Address));
            if (span is { IsAllDataRequested: true })
            {
                span.SetTag(MeshSpanAttributes.Hits, (long)response.Files.Sum(f => f.Sources.Count));
                span.SetTag(MeshSpanAttributes.Files, (long)response.Files.Count);
                if (response.Stats is { } stats)
                {
                    span.SetTag(MeshSpanAttributes.PeersReached, (long)stats.PeersReached);
                    span.SetTag(MeshSpanAttributes.Messages, (long)stats.Messages);
                    span.SetTag(MeshSpanAttributes.Duplicates, (long)stats.Duplicates);
                    span.SetTag(MeshSpanAttributes.AnsweredBy, stats.AnsweredBy);
                }
            }
            return response;
        }
        catch (Exception ex) when (span is { IsAllDataRequested: true })
        {
            span.SetStatus(ActivityStatusCode.Error, ex is RpcException rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : ex.Message);
            span.AddException(ex);
            throw;
        }
    }

    private async Task<SearchResponse> FloodAsync(byte[] queryId, string queryIdText, string pattern, int ttl, bool explain, string via, CancellationToken cancellationToken)
    {
        var request = new SearchRequest
        {
            QueryId = ByteString.CopyFrom(queryId), Pattern = pattern, Ttl = (uint)ttl, Explain = explain, Via = ContractMappings.ToVia(via),
        };
        var started = Stopwatch.GetTimestamp();
        var deadline = timeProvider.GetUtcNow().UtcDateTime + options.Value.SearchTimeout;
        using var call = pserver.Search(request, deadline: deadline, cancellationToken: cancellationToken);
        var hits = new List<Hit>();
        var edges = new List<EdgeDto>();
        FloodStats? stats = null;
        await foreach (var e in call.ResponseStream.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            switch (e.EventCase)
            {
                case SearchEvent.EventOneofCase.Hit:
                    hits.Add(e.Hit);
                    break;
                case SearchEvent.EventOneofCase.Edge:
                    edges.Add(e.Edge.ToEdgeDto());
                    break;
                case SearchEvent.EventOneofCase.Stats:
                    stats = e.Stats;
                    break;
            }
        }
        var files = hits.GroupBy(h => h.Sha256)
            .Select(g => new SearchFile(
                g.Key,
                (long)g.First().Size,
                (int)g.First().ChunkSize,
                [.. g.Select(h => h.Name).Distinct().Order(StringComparer.Ordinal)],
                [.. g.OrderBy(h => h.Hops).ThenBy(h => h.Holder.Id, StringComparer.Ordinal)
                    .Select(h => new SearchSource(h.Holder.Id, h.Holder.Address, h.Name, (int)h.Hops, [.. h.Path]))]))
            .OrderBy(f => f.Names[0], StringComparer.Ordinal)
            .ToList();
        return new SearchResponse(queryIdText, pattern, ttl, files,
            stats?.ToFloodStatsDto(), explain ? edges : null, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, via);
    }

    /// <summary>The files in this peer's share.</summary>
    public async Task<IReadOnlyList<SharedFileDto>> ListFilesAsync(CancellationToken cancellationToken)
    {
        var reply = await pserver.ListFilesAsync(new ListFilesRequest(), deadline: Deadline(), cancellationToken: cancellationToken).ConfigureAwait(false);
        return [.. reply.Files.Select(f => new SharedFileDto(f.Name, (long)f.Size, f.Sha256, (int)f.ChunkSize))];
    }

    /// <summary>This peer and its neighbours, each pinged now (in parallel).</summary>
    public async Task<PeersResponse> PeersAsync(CancellationToken cancellationToken)
    {
        var reply = await pserver.GetNeighboursAsync(new GetNeighboursRequest(), deadline: Deadline(), cancellationToken: cancellationToken).ConfigureAwait(false);
        var neighbours = await Task.WhenAll(reply.Neighbours.Select(async n =>
        {
            if (!PeerAddress.TryParse(n.Address, out var address, out _))
            {
                return new PeerStatus(n.Id, n.Address, false, null);
            }
            var started = Stopwatch.GetTimestamp();
            try
            {
                await channels.Peer(address).PingAsync(new PingRequest(), deadline: Deadline(), cancellationToken: cancellationToken).ConfigureAwait(false);
                return new PeerStatus(n.Id, n.Address, true, Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 2));
            }
            catch (RpcException)
            {
                return new PeerStatus(n.Id, n.Address, false, null);
            }
        })).ConfigureAwait(false);
        return new PeersResponse(new PeerStatus(reply.Peer.Id, reply.Peer.Address, null, null), neighbours);
    }

    /// <summary>Whether this peer's PServer answers a ping.</summary>
    public async Task<bool> IsPServerReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await pserver.PingAsync(new PingRequest(), deadline: Deadline(), cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RpcException)
        {
            return false;
        }
    }

    /// <summary>The data bytes one UploadPart carries: 64 KiB, small enough to stay off the large-object heap.</summary>
    internal const int UploadPartBytes = 64 * 1024;

    /// <summary>
    /// Streams <paramref name="content"/> (exactly <paramref name="size"/> bytes) to <paramref name="target"/>'s
    /// Upload (protos/p2pmesh/v1/peer.proto) in parts of <see cref="UploadPartBytes"/>, holding one part in memory
    /// at a time. The call's answer is watched while the parts are sent: a PServer that refuses early (the header:
    /// over its <c>Transfers:MaxUploadBytes</c>, no room, a bad name; or the data: more bytes than declared)
    /// ends the send at once, and its status is thrown, instead of a write waiting on flow control.
    /// </summary>
    /// <exception cref="RpcException">The PServer's verdict (see <c>Peer.Upload</c>), or UNAVAILABLE.</exception>
    /// <exception cref="IOException">Reading <paramref name="content"/> failed (the HTTP client went away, or Kestrel cut
    /// an oversized body: <see cref="BadHttpRequestException"/>); the call is cancelled.</exception>
    public async Task<UploadResponse> UploadAsync(PeerAddress target, string name, string sha256, long size, Stream content, CancellationToken cancellationToken)
    {
        // An upload may stream for longer than a channel may sit idle: hold the channel.
        using var lease = channels.Lease(target);
        using var sending = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var call = lease.Client.Upload(cancellationToken: cancellationToken);
        var header = new UploadHeader { Name = name, Sha256 = sha256, Size = (ulong)size };
        var send = SendPartsAsync(call.RequestStream, header, content, sending.Token);
        if (await Task.WhenAny(send, call.ResponseAsync).ConfigureAwait(false) != send)
        {
            // The PServer answered before it had every part (a refusal): stop reading the body and sending.
            await sending.CancelAsync().ConfigureAwait(false);
        }
        try
        {
            await send.ConfigureAwait(false);
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException
            || (e is OperationCanceledException && sending.IsCancellationRequested && !cancellationToken.IsCancellationRequested))
        {
            // The call ended early (the PServer refused, or answered first): its status is the answer below.
        }
        var reply = await call.ResponseAsync.ConfigureAwait(false);
        var m = reply.Manifest;
        return new UploadResponse(target.ToString(), new SharedFileDto(m.Name, (long)m.Size, m.Sha256, (int)m.ChunkSize), m.ChunkSha256.Count);
    }

    private static async Task SendPartsAsync(IClientStreamWriter<UploadPart> parts, UploadHeader header, Stream content, CancellationToken cancellationToken)
    {
        await parts.WriteAsync(new UploadPart { Header = header }, cancellationToken).ConfigureAwait(false);
        var buffer = new byte[UploadPartBytes];
        int read;
        while ((read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            await parts.WriteAsync(new UploadPart { Data = ByteString.CopyFrom(buffer, 0, read) }, cancellationToken).ConfigureAwait(false);
        }
        await parts.CompleteAsync().ConfigureAwait(false);
    }

    /// <summary>Finds a neighbour's PServer by peer id (for <c>put --to PEER</c>).</summary>
    public async Task<PeerAddress?> FindNeighbourAsync(string peerId, CancellationToken cancellationToken)
    {
        var reply = await pserver.GetNeighboursAsync(new GetNeighboursRequest(), deadline: Deadline(), cancellationToken: cancellationToken).ConfigureAwait(false);
        var match = reply.Peer.Id == peerId ? reply.Peer : reply.Neighbours.FirstOrDefault(n => n.Id == peerId);
        return match is not null && PeerAddress.TryParse(match.Address, out var address, out _) ? address : null;
    }

    /// <summary>The addresses of this peer's PServer's current neighbours.</summary>
    public async Task<HashSet<PeerAddress>> NeighbourAddressesAsync(CancellationToken cancellationToken)
    {
        var reply = await pserver.GetNeighboursAsync(new GetNeighboursRequest(), deadline: Deadline(), cancellationToken: cancellationToken).ConfigureAwait(false);
        return [.. reply.Neighbours.Select(n => PeerAddress.TryParse(n.Address, out var a, out _) ? a : (PeerAddress?)null).OfType<PeerAddress>()];
    }

    private DateTime Deadline() => timeProvider.GetUtcNow().UtcDateTime + CallTimeout;
}
