using System.Diagnostics;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P2PMesh.Contracts;
using P2PMesh.Core.Bus;
using P2PMesh.Core.Peers;
using P2PMesh.Core.Search.Internal;
using P2PMesh.Core.Telemetry;
using P2PMesh.V1;

namespace P2PMesh.Core.Search;

/// <summary>
/// <c>Peer.Search</c> as the PServer serves it (docs/architecture.md, Search modes; protos/p2pmesh/v1/peer.proto,
/// <c>SearchRequest.via</c>): a client's request (hops 0) goes the way its <c>via</c> says, a forwarded one is always
/// this peer's part of a flood (<see cref="FloodEngine"/>).
/// <list type="bullet">
/// <item>FLOOD or unset: the flood, unchanged.</item>
/// <item>DIRECTORY: one <c>PeerDirectory.Query</c> to <see cref="DirectoryAddress"/> within the caller's deadline; its
/// hits (path = [holder id], hops 0), then <see cref="FloodStats"/> with <c>answered_by = DIRECTORY</c>, 1 message,
/// <c>peers_reached</c> = distinct holders. FAILED_PRECONDITION naming <c>Directory:Address</c> when none is
/// configured; UNAVAILABLE when the directory cannot be reached or fails (the caller's DEADLINE_EXCEEDED and
/// INVALID_ARGUMENT pass through).</item>
/// <item>AUTO: DIRECTORY within <see cref="AutoDirectoryTimeout"/> (at most a quarter of the time left), answered as
/// DIRECTORY when it has hits; otherwise (not configured, any failure, no hits) the flood, whose statistics get
/// <c>answered_by = FLOOD</c>, <c>fallback_reason</c> and the directory's message (1, or 0 when not configured) added.</item>
/// <item>MOM: <see cref="IMomSearch"/> (registered only with <c>Mom:Uri</c>; FAILED_PRECONDITION without it); its hits as
/// DIRECTORY's, then statistics with <c>answered_by = MOM</c>, messages = 1 + replies, <c>peers_reached</c> = replies.</item>
/// </list>
/// <c>explain</c> adds edges to floods only: a DIRECTORY or MOM answer has none.
/// </summary>
public sealed partial class OriginSearch(
    FloodEngine flood,
    PeerChannelPool channels,
    IOptions<DirectoryClientOptions> directoryOptions,
    IOptions<NeighbourOptions> neighbourOptions,
    IOptions<FloodOptions> floodOptions,
    TimeProvider timeProvider,
    ILogger<OriginSearch> logger,
    IMomSearch? mom = null)
{
    /// <summary>The most time AUTO gives the directory before it floods: 1 second.</summary>
    public static readonly TimeSpan AutoDirectoryTimeout = TimeSpan.FromSeconds(1);

    /// <summary><c>fallback_reason</c> when AUTO had no directory to ask.</summary>
    public const string NoDirectoryReason = "no directory configured";

    /// <summary><c>fallback_reason</c> when the directory answered with no hits.</summary>
    public const string NoHitsReason = "no hits in the directory";

    /// <summary>How <c>fallback_reason</c> starts when the directory failed; the status and its detail follow.</summary>
    public const string UnreachableReasonPrefix = "directory unreachable: ";

    private const string MomSetting = "Mom:Uri";

    /// <summary>The directory searches go to: <c>Directory:Address</c>, else <c>Neighbours:Bootstrap</c>; <c>null</c> for none.</summary>
    public PeerAddress? DirectoryAddress { get; } = directoryOptions.Value.ResolveAddress(neighbourOptions.Value);

    /// <summary>Answers one <c>Peer.Search</c> call.</summary>
    /// <param name="request">The request as received (validated here).</param>
    /// <param name="events">The caller's stream: hits, with a flood duplicates and edges, and last the statistics.</param>
    /// <param name="deadline">The caller's deadline (UTC); <see cref="DateTime.MaxValue"/> for none (<c>Search:DefaultTimeout</c> applies).</param>
    /// <param name="cancellationToken">The call's token.</param>
    /// <exception cref="RpcException">INVALID_ARGUMENT for a malformed request (a forward with a <c>via</c> other than FLOOD
    /// included); FAILED_PRECONDITION for DIRECTORY without a directory or MOM without a broker; UNAVAILABLE for DIRECTORY
    /// when the directory fails, for MOM when the broker does.</exception>
    public async Task SearchAsync(SearchRequest request, IServerStreamWriter<SearchEvent> events, DateTime deadline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(events);
        if (request.Hops > 0 || request.Via is SearchRequest.Types.Via.Unspecified or SearchRequest.Types.Via.Flood)
        {
            await flood.SearchAsync(request, events, deadline, cancellationToken).ConfigureAwait(false);
            return;
        }
        var settings = floodOptions.Value;
        SearchRequestValidator.Validate(request, settings.MaxTtl);
        if (deadline == DateTime.MaxValue)
        {
            deadline = timeProvider.GetUtcNow().UtcDateTime + settings.DefaultTimeout;
        }
        switch (request.Via)
        {
            case SearchRequest.Types.Via.Directory:
                await DirectoryAsync(request, events, deadline, cancellationToken).ConfigureAwait(false);
                break;
            case SearchRequest.Types.Via.Auto:
                await AutoAsync(request, events, deadline, cancellationToken).ConfigureAwait(false);
                break;
            default:
                await MomAsync(request, events, deadline, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    private async Task DirectoryAsync(SearchRequest request, IServerStreamWriter<SearchEvent> events, DateTime deadline, CancellationToken cancellationToken)
    {
        var address = DirectoryAddress ?? throw new RpcException(new Status(StatusCode.FailedPrecondition,
            $"directory search needs a directory: set {DirectoryClientOptions.AddressKey} (or Neighbours:Bootstrap, which serves it)"));
        QueryReply reply;
        try
        {
            reply = await QueryAsync(address, request.Pattern, deadline, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested
            && ex.StatusCode is not (StatusCode.DeadlineExceeded or StatusCode.InvalidArgument or StatusCode.Cancelled))
        {
            throw new RpcException(new Status(StatusCode.Unavailable, $"directory {address} unreachable: {ex.StatusCode}: {ex.Status.Detail}"));
        }
        await AnswerAsync(events, reply.Hits, SearchRequest.Types.Via.Directory, messages: 1, peersReached: null, cancellationToken).ConfigureAwait(false);
    }

    private async Task AutoAsync(SearchRequest request, IServerStreamWriter<SearchEvent> events, DateTime deadline, CancellationToken cancellationToken)
    {
        string reason;
        uint directoryMessages = 0;
        if (DirectoryAddress is not { } address)
        {
            reason = NoDirectoryReason;
        }
        else
        {
            directoryMessages = 1;
            var now = timeProvider.GetUtcNow().UtcDateTime;
            var budget = TimeSpan.FromTicks(Math.Min(AutoDirectoryTimeout.Ticks, Math.Max(0, (deadline - now).Ticks / 4)));
            try
            {
                var reply = await QueryAsync(address, request.Pattern, now + budget, cancellationToken).ConfigureAwait(false);
                if (reply.Hits.Count > 0)
                {
                    await AnswerAsync(events, reply.Hits, SearchRequest.Types.Via.Directory, messages: 1, peersReached: null, cancellationToken).ConfigureAwait(false);
                    return;
                }
                reason = NoHitsReason;
            }
            catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
            {
                reason = $"{UnreachableReasonPrefix}{ex.StatusCode}: {ex.Status.Detail}";
            }
        }
        Log.FallingBack(logger, reason);
        Activity.Current?.SetTag(MeshSpanAttributes.AnsweredBy, "flood");
        await flood.SearchAsync(request, new FallbackStatsWriter(events, directoryMessages, reason), deadline, cancellationToken).ConfigureAwait(false);
    }

    private async Task MomAsync(SearchRequest request, IServerStreamWriter<SearchEvent> events, DateTime deadline, CancellationToken cancellationToken)
    {
        var bus = mom ?? throw new RpcException(new Status(StatusCode.FailedPrecondition, $"mom search needs a message broker: set {MomSetting}"));
        // Stop collecting answers early enough that the hits and statistics reach the caller within its deadline, as a flood hop does.
        var margin = floodOptions.Value.KeepBack(deadline - timeProvider.GetUtcNow().UtcDateTime);
        var result = await bus.SearchAsync(request.QueryId.Memory, request.Pattern, deadline - margin, cancellationToken).ConfigureAwait(false);
        await AnswerAsync(events, result.Hits, SearchRequest.Types.Via.Mom, messages: 1 + (uint)result.Replies, peersReached: (uint)result.Replies, cancellationToken)
            .ConfigureAwait(false);
    }

    private async Task<QueryReply> QueryAsync(PeerAddress address, string pattern, DateTime deadline, CancellationToken cancellationToken) =>
        await channels.Directory(address).QueryAsync(new QueryRequest { Pattern = pattern }, deadline: deadline, cancellationToken: cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Streams hits found without a flood (path = [holder id], hops 0; hits without a holder are dropped) and then their
    /// statistics; <paramref name="peersReached"/> null means the distinct holders.
    /// </summary>
    private static async Task AnswerAsync(
        IServerStreamWriter<SearchEvent> events, IEnumerable<Hit> hits, SearchRequest.Types.Via answeredBy, uint messages, uint? peersReached, CancellationToken cancellationToken)
    {
        var holders = new HashSet<string>(StringComparer.Ordinal);
        uint count = 0;
        foreach (var found in hits)
        {
            if (found.Holder is null)
            {
                continue;
            }
            var hit = found.Clone();
            hit.Path.Clear();
            hit.Path.Add(hit.Holder.Id);
            hit.Hops = 0;
            holders.Add(hit.Holder.Id);
            count++;
            await events.WriteAsync(new SearchEvent { Hit = hit }, cancellationToken).ConfigureAwait(false);
        }
        Activity.Current?.SetTag(MeshSpanAttributes.AnsweredBy, answeredBy.ToString().ToLowerInvariant());
        var stats = new FloodStats
        {
            AnsweredBy = answeredBy,
            Messages = messages,
            Hits = count,
            PeersReached = peersReached ?? (uint)holders.Count,
        };
        await events.WriteAsync(new SearchEvent { Stats = stats }, cancellationToken).ConfigureAwait(false);
    }
}
