using System.Diagnostics;
using System.Threading.Channels;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P2PMesh.Contracts;
using P2PMesh.Core.Content;
using P2PMesh.Core.Peers;
using P2PMesh.Core.Telemetry;
using P2PMesh.V1;

namespace P2PMesh.Core.Search;

/// <summary>
/// One peer's part of a Gnutella-style flood (docs/architecture.md, Flood search; protos/p2pmesh/v1/peer.proto,
/// <c>Peer.Search</c>). A query id seen before gets a single Duplicate event and nothing else. Otherwise
/// the peer streams its own hits, forwards to every neighbour but the sender (ttl − 1, hops + 1, when
/// ttl &gt; 0) in parallel, relays their hits (and, with explain, edges) as they arrive, and ends with the
/// statistics of its subtree. It never outlives its caller's deadline: neighbours get the deadline
/// minus <see cref="FloodOptions.KeepBack"/> (a tenth of the time left, at least <see cref="FloodOptions.HopMargin"/>),
/// and whatever has not answered by the deadline minus half of that is cut off and counted as such, so partial
/// results still come with statistics.
/// A gRPC server stream takes one write at a time, and a cancelled write resets the whole call
/// (docs/architecture.md, The gRPC stack): the parallel forwards therefore hand their events to one
/// bounded channel, drained into the caller's stream by a single writer under the caller's token only,
/// so the stop-waiting timer cuts off the neighbours, never the caller.
/// Each call is recorded in <see cref="MeshMetrics"/>, and the call's server span
/// (<see cref="Activity.Current"/>, when traced) gets the <see cref="MeshSpanAttributes"/> of the hop.
/// </summary>
public sealed partial class FloodEngine(
    ContentIndex index,
    NeighbourTable neighbours,
    MeshClient peers,
    SeenQueryCache seen,
    ILocalPeer self,
    IOptions<FloodOptions> options,
    TimeProvider timeProvider,
    MeshMetrics metrics,
    ILogger<FloodEngine> logger)
{
    /// <summary>Events buffered between the forwards and the caller's stream before the forwards wait.</summary>
    private const int FunnelCapacity = 256;

    private int _running;

    /// <summary>Runs this peer's part of the search and writes its events to <paramref name="events"/>.</summary>
    /// <param name="request">The request as received (validated here).</param>
    /// <param name="events">Where hits, duplicates, edges and the final statistics go.</param>
    /// <param name="deadline">The caller's deadline (UTC); <see cref="DateTime.MaxValue"/> for none.</param>
    /// <param name="cancellationToken">The call's token (client gone or deadline passed).</param>
    /// <exception cref="RpcException">INVALID_ARGUMENT for a malformed request; RESOURCE_EXHAUSTED beyond
    /// <see cref="FloodOptions.MaxConcurrentFloods"/>.</exception>
    public async Task SearchAsync(SearchRequest request, IServerStreamWriter<SearchEvent> events, DateTime deadline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var settings = options.Value;
        var (pattern, ttl) = SearchRequestValidator.Validate(request, settings.MaxTtl);
        var started = Stopwatch.GetTimestamp();
        var hops = request.Hops;
        metrics.QueryReceived(hops);
        var span = Activity.Current is { IsAllDataRequested: true } current ? current : null;
        // Formatted once, and only when a span or the debug log will show it.
        var queryId = span is not null || logger.IsEnabled(LogLevel.Debug) ? QueryIdFormat.Format(request.QueryId.Span) : string.Empty;
        span?.SetTag(MeshSpanAttributes.QueryId, queryId);
        span?.SetTag(MeshSpanAttributes.Ttl, (long)request.Ttl);
        span?.SetTag(MeshSpanAttributes.Hops, (long)hops);
        if (request.Sender is { } sender)
        {
            span?.SetTag(MeshSpanAttributes.Sender, sender.Id);
        }
        if (!seen.TryAdd(request.QueryId.Span))
        {
            metrics.QueryDuplicate();
            span?.SetTag(MeshSpanAttributes.Duplicate, true);
            span?.SetTag(MeshSpanAttributes.Hits, 0L);
            Log.Duplicate(logger, queryId, request.Sender?.Id ?? "client");
            await events.WriteAsync(new SearchEvent { Duplicate = new Duplicate { PeerId = self.Id } }, cancellationToken).ConfigureAwait(false);
            return;
        }
        span?.SetTag(MeshSpanAttributes.Duplicate, false);
        if (Interlocked.Increment(ref _running) > settings.MaxConcurrentFloods)
        {
            Interlocked.Decrement(ref _running);
            throw new RpcException(new Status(StatusCode.ResourceExhausted,
                $"peer {self.Id} already runs its most floods at once ({settings.MaxConcurrentFloods}, Search:MaxConcurrentFloods)"));
        }
        try
        {
            await FloodAsync(request, events, deadline, pattern, ttl, started, queryId, span, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }

    // A first arrival: search the share, forward, relay, and end with the statistics.
    private async Task FloodAsync(SearchRequest request, IServerStreamWriter<SearchEvent> events, DateTime deadline, SearchPattern pattern, uint ttl,
        long started, string queryId, Activity? span, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var hops = request.Hops;
        if (hops == 0)
        {
            metrics.SearchStarted();
        }

        if (deadline == DateTime.MaxValue)
        {
            deadline = timeProvider.GetUtcNow().UtcDateTime + settings.DefaultTimeout;
        }
        var me = self.ToPeerInfo();
        var path = request.Path.Append(me.Id).ToArray();
        var stats = new FloodStatsBuilder(hops);

        var ownHits = index.Search(pattern);
        metrics.Hits(ownHits.Count);
        span?.SetTag(MeshSpanAttributes.Hits, (long)ownHits.Count);
        var funnel = Channel.CreateBounded<SearchEvent>(new BoundedChannelOptions(FunnelCapacity) { SingleReader = true });
        var drain = DrainAsync(funnel, events, cancellationToken);
        try
        {
            foreach (var file in ownHits)
            {
                stats.Hit();
                await funnel.Writer.WriteAsync(new SearchEvent { Hit = file.ToHit(me, path, hops) }, cancellationToken).ConfigureAwait(false);
            }

            if (ttl > 0)
            {
                var forward = new SearchRequest
                {
                    QueryId = request.QueryId,
                    Pattern = request.Pattern,
                    Ttl = ttl - 1,
                    Hops = hops + 1,
                    Origin = hops == 0 ? me : request.Origin,
                    Sender = me,
                    Explain = request.Explain,
                };
                forward.Path.AddRange(path);
                var targets = neighbours.Snapshot().Where(n => n.Id != request.Sender?.Id).ToList();
                span?.SetTag(MeshSpanAttributes.Forwarded, (long)targets.Count);
                await ForwardAllAsync(forward, targets, funnel.Writer, stats, deadline, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (ChannelClosedException) when (drain.IsCompleted)
        {
            // The drain failed (the caller is gone) and closed the funnel: its failure surfaces below.
        }
        finally
        {
            funnel.Writer.TryComplete();
        }
        // Every relayed event is on the caller's stream before the statistics (or the drain's failure surfaces here).
        await drain.ConfigureAwait(false);

        var result = stats.Build();
        Log.Processed(logger, queryId, hops, ttl, result.Hits, result.Messages);
        await events.WriteAsync(new SearchEvent { Stats = result }, cancellationToken).ConfigureAwait(false);
        if (hops == 0)
        {
            metrics.SearchCompleted(Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>
    /// The single writer of the caller's stream: copies the funnel's events to <paramref name="events"/> under the
    /// caller's token. If the caller is gone, the funnel is closed with that failure, so no forward waits on it.
    /// </summary>
    private static async Task DrainAsync(Channel<SearchEvent> funnel, IServerStreamWriter<SearchEvent> events, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var e in funnel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await events.WriteAsync(e, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            funnel.Writer.TryComplete(ex);
            throw;
        }
    }

    private async Task ForwardAllAsync(
        SearchRequest forward, List<PeerInfo> targets, ChannelWriter<SearchEvent> events, FloodStatsBuilder stats, DateTime deadline, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow().UtcDateTime;
        var margin = options.Value.KeepBack(deadline - now);
        var forwardDeadline = deadline - margin;
        var remaining = deadline - margin / 2 - now;
        if (forwardDeadline <= now || remaining <= TimeSpan.Zero)
        {
            // No time left to ask anyone: each neighbour is a forward the deadline cut off.
            foreach (var target in targets)
            {
                stats.DeadlineExceeded();
                await WriteEdgeAsync(events, forward, target, Edge.Types.Outcome.Deadline, 0, TimeSpan.Zero, null, cancellationToken).ConfigureAwait(false);
            }
            return;
        }

        using var stopWaiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stopWaiting.CancelAfter(remaining);
        await Task.WhenAll(targets.Select(t => ForwardAsync(forward, t, events, stats, forwardDeadline, stopWaiting.Token))).ConfigureAwait(false);
    }

    private async Task ForwardAsync(
        SearchRequest forward, PeerInfo target, ChannelWriter<SearchEvent> events, FloodStatsBuilder stats, DateTime deadline, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        uint hits = 0;
        var outcome = Edge.Types.Outcome.Hits;
        string? error = null;
        if (!PeerAddress.TryParse(target.Address, out var address, out var addressError))
        {
            stats.Error();
            await WriteEdgeAsync(events, forward, target, Edge.Types.Outcome.Error, 0, TimeSpan.Zero, addressError, cancellationToken).ConfigureAwait(false);
            return;
        }

        stats.MessageSent();
        metrics.QueryForwarded();
        try
        {
            using var call = peers.Search(address, forward, deadline, cancellationToken);
            await foreach (var e in call.ResponseStream.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                switch (e.EventCase)
                {
                    case SearchEvent.EventOneofCase.Hit:
                        hits++;
                        stats.Hit();
                        await events.WriteAsync(e, cancellationToken).ConfigureAwait(false);
                        break;
                    case SearchEvent.EventOneofCase.Edge when forward.Explain:
                        await events.WriteAsync(e, cancellationToken).ConfigureAwait(false);
                        break;
                    case SearchEvent.EventOneofCase.Duplicate:
                        outcome = Edge.Types.Outcome.Duplicate;
                        break;
                    case SearchEvent.EventOneofCase.Stats:
                        stats.AddSubtree(e.Stats);
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException || ex is RpcException { StatusCode: StatusCode.DeadlineExceeded or StatusCode.Cancelled })
        {
            outcome = Edge.Types.Outcome.Deadline;
        }
        catch (RpcException ex)
        {
            outcome = Edge.Types.Outcome.Error;
            error = $"{ex.StatusCode}: {ex.Status.Detail}";
            Log.ForwardFailed(logger, target.Id, ex.StatusCode, ex.Status.Detail);
        }

        switch (outcome)
        {
            case Edge.Types.Outcome.Duplicate:
                stats.Duplicate();
                break;
            case Edge.Types.Outcome.Deadline:
                stats.DeadlineExceeded();
                break;
            case Edge.Types.Outcome.Error:
                stats.Error();
                break;
        }
        if (!cancellationToken.IsCancellationRequested || outcome == Edge.Types.Outcome.Deadline)
        {
            await WriteEdgeAsync(events, forward, target, outcome, hits, Stopwatch.GetElapsedTime(started), error, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task WriteEdgeAsync(
        ChannelWriter<SearchEvent> events, SearchRequest forward, PeerInfo target, Edge.Types.Outcome outcome, uint hits, TimeSpan elapsed, string? error, CancellationToken cancellationToken)
    {
        if (!forward.Explain)
        {
            return;
        }
        var edge = new Edge
        {
            From = self.Id,
            To = target.Id,
            Hops = forward.Hops,
            Outcome = outcome,
            Hits = hits,
            ElapsedMs = (uint)Math.Min(uint.MaxValue, elapsed.TotalMilliseconds),
            Error = error ?? string.Empty,
        };
        try
        {
            await events.WriteAsync(new SearchEvent { Edge = edge }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
            // Our own caller has gone: nobody left to tell.
        }
    }
}
