using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Grpc.Core;
using P2PMesh.Contracts;
using P2PMesh.Core.Telemetry;
using P2PMesh.V1;

namespace P2PMesh.Core.Peers;

/// <summary>
/// Keeps this peer in the overlay (docs/architecture.md, Neighbours): joins through the Bootstrap, pings
/// neighbours and drops dead or one-sided links, and while below the target degree links to
/// candidates from the Bootstrap, from neighbours' neighbours (peer exchange) and from DNS seeds, so
/// the mesh re-knits while the Bootstrap is down. On shutdown it unlinks from every neighbour and
/// leaves the Bootstrap. Rounds and goodbyes run under a <see cref="HousekeepingActivity"/>, so they start no trace.
/// </summary>
public sealed partial class MeshMaintainer(
    NeighbourTable neighbours,
    MeshClient peers,
    ILocalPeer self,
    IOptions<NeighbourOptions> options,
    TimeProvider timeProvider,
    IHostApplicationLifetime lifetime,
    PeerTokenHolder tokens,
    ILogger<MeshMaintainer> logger) : BackgroundService
{
    private readonly PeerAddress? _bootstrap = options.Value.Bootstrap is { } b && PeerAddress.TryParse(b, out var a, out _) ? a : null;
    private DateTime _nextHeartbeat = DateTime.MinValue;
    private TimeSpan _heartbeatInterval = TimeSpan.FromSeconds(10);

    /// <summary>Runs one maintenance round now: pings, bootstrap heartbeat, and linking while below target.</summary>
    public async Task MaintainAsync(CancellationToken cancellationToken)
    {
        await PingNeighboursAsync(cancellationToken).ConfigureAwait(false);
        var candidates = await HeartbeatAsync(cancellationToken).ConfigureAwait(false);
        if (options.Value.AutoDiscover && neighbours.Count < options.Value.TargetDegree)
        {
            await LinkToCandidatesAsync(candidates, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Until the server has bound, this peer's address may name port 0, and the Bootstrap refuses such a Join.
        await lifetime.WhenStartedAsync(stoppingToken).ConfigureAwait(false);
        // Where peers admit only token holders (Admission:Required), a Join without the first token is refused: wait
        // for it a little (PeerTokenSource fetches it as soon as the host has started).
        await tokens.WaitForFirstAsync(TimeSpan.FromSeconds(10), stoppingToken).ConfigureAwait(false);
        using var timer = new PeriodicTimer(options.Value.MaintenanceInterval, timeProvider);
        do
        {
            try
            {
                using var housekeeping = HousekeepingActivity.Start();
                await MaintainAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.MaintenanceFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Stops maintenance and leaves gracefully: unlinks from every neighbour and leaves the bootstrap,
    /// best effort, in parallel. A token that is already cancelled means "stop now": no goodbyes.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        using var housekeeping = HousekeepingActivity.Start();
        var goodbyes = neighbours.Snapshot().Select(async n =>
        {
            try
            {
                if (PeerAddress.TryParse(n.Address, out var address, out _))
                {
                    await peers.UnlinkAsync(address, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (RpcException)
            {
            }
            neighbours.Remove(n.Id);
        }).ToList();
        if (_bootstrap is { } bootstrap)
        {
            goodbyes.Add(IgnoreFailure(() => peers.LeaveAsync(bootstrap, cancellationToken)));
        }
        await Task.WhenAll(goodbyes).ConfigureAwait(false);
        Log.Left(logger, self.Id);
    }

    private async Task PingNeighboursAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(neighbours.Snapshot().Select(async neighbour =>
        {
            if (!PeerAddress.TryParse(neighbour.Address, out var address, out _))
            {
                neighbours.Remove(neighbour.Id);
                return;
            }
            try
            {
                var reply = await peers.PingAsync(address, cancellationToken).ConfigureAwait(false);
                if (!reply.Linked)
                {
                    // The other side does not list us (it restarted, or dropped us): a one-sided link
                    // is no link. Ask again; drop it if it refuses.
                    await RelinkOrDropAsync(neighbour, address, cancellationToken).ConfigureAwait(false);
                    return;
                }
                neighbours.RecordPingSucceeded(neighbour.Id);
            }
            catch (RpcException ex)
            {
                var missed = neighbours.RecordPingFailed(neighbour.Id);
                if (missed >= options.Value.MaxMissedPings && neighbours.Remove(neighbour.Id))
                {
                    Log.NeighbourDead(logger, neighbour.Id, missed, ex.StatusCode);
                }
            }
        })).ConfigureAwait(false);
    }

    private async Task RelinkOrDropAsync(PeerInfo neighbour, PeerAddress address, CancellationToken cancellationToken)
    {
        try
        {
            await peers.LinkAsync(address, cancellationToken).ConfigureAwait(false);
            neighbours.RecordPingSucceeded(neighbour.Id);
        }
        catch (RpcException ex)
        {
            if (neighbours.Remove(neighbour.Id))
            {
                Log.OneSidedLinkDropped(logger, neighbour.Id, ex.StatusCode);
            }
        }
    }

    /// <summary>Heartbeats the bootstrap when due (re-joining if it forgot us); returns any peers it suggested.</summary>
    private async Task<IReadOnlyList<PeerInfo>> HeartbeatAsync(CancellationToken cancellationToken)
    {
        if (_bootstrap is not { } bootstrap)
        {
            return [];
        }
        var now = timeProvider.GetUtcNow().UtcDateTime;
        var needPeers = options.Value.AutoDiscover && neighbours.Count < options.Value.TargetDegree;
        if (now < _nextHeartbeat && !needPeers)
        {
            return [];
        }
        try
        {
            if (!needPeers && await peers.HeartbeatAsync(bootstrap, cancellationToken).ConfigureAwait(false))
            {
                _nextHeartbeat = now + _heartbeatInterval;
                return [];
            }
            // Joining again is how a peer asks for candidates, and how it re-registers.
            var reply = await peers.JoinAsync(bootstrap, cancellationToken).ConfigureAwait(false);
            if (reply.HeartbeatInterval is { } interval && interval.ToTimeSpan() > TimeSpan.Zero)
            {
                _heartbeatInterval = interval.ToTimeSpan();
            }
            _nextHeartbeat = now + _heartbeatInterval;
            return reply.Neighbours;
        }
        catch (RpcException ex)
        {
            Log.BootstrapUnreachable(logger, bootstrap.ToString(), ex.StatusCode);
            return [];
        }
    }

    private async Task LinkToCandidatesAsync(IReadOnlyList<PeerInfo> fromBootstrap, CancellationToken cancellationToken)
    {
        var tried = new HashSet<string>(StringComparer.Ordinal) { self.Address };
        if (await TryLinkAllAsync(fromBootstrap.Select(p => p.Address), tried, cancellationToken).ConfigureAwait(false))
        {
            return;
        }
        if (await TryLinkAllAsync(await NeighboursOfNeighboursAsync(cancellationToken).ConfigureAwait(false), tried, cancellationToken).ConfigureAwait(false))
        {
            return;
        }
        await TryLinkAllAsync(await DnsSeedsAsync(cancellationToken).ConfigureAwait(false), tried, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Links to candidates in random order until the target degree is reached; true if it was.</summary>
    private async Task<bool> TryLinkAllAsync(IEnumerable<string> candidates, HashSet<string> tried, CancellationToken cancellationToken)
    {
        var linkedAddresses = neighbours.Snapshot().Select(n => n.Address).ToHashSet(StringComparer.Ordinal);
        var fresh = candidates.Where(c => !linkedAddresses.Contains(c) && tried.Add(c)).ToArray();
        Random.Shared.Shuffle(fresh);
        foreach (var candidate in fresh)
        {
            if (neighbours.Count >= options.Value.TargetDegree)
            {
                return true;
            }
            if (PeerAddress.TryParse(candidate, out var address, out _))
            {
                await TryLinkAsync(address, cancellationToken).ConfigureAwait(false);
            }
        }
        return neighbours.Count >= options.Value.TargetDegree;
    }

    private async Task TryLinkAsync(PeerAddress address, CancellationToken cancellationToken)
    {
        try
        {
            var reply = await peers.LinkAsync(address, cancellationToken).ConfigureAwait(false);
            if (reply.Peer is null || reply.Peer.Id == self.Id)
            {
                return;
            }
            // The reply names the peer as it advertises itself; keep the address we reached it at if it has none.
            var peer = new PeerInfo { Id = reply.Peer.Id, Address = string.IsNullOrEmpty(reply.Peer.Address) ? address.ToString() : reply.Peer.Address };
            switch (neighbours.TryAdd(peer))
            {
                case NeighbourAddResult.Added:
                    Log.Linked(logger, peer.Id, peer.Address);
                    break;
                case NeighbourAddResult.Full:
                    // Filled up meanwhile (someone linked to us): undo the other side.
                    await IgnoreFailure(() => peers.UnlinkAsync(address, cancellationToken)).ConfigureAwait(false);
                    break;
            }
        }
        catch (RpcException ex)
        {
            Log.LinkRefused(logger, address.ToString(), ex.StatusCode);
        }
    }

    private async Task<IEnumerable<string>> NeighboursOfNeighboursAsync(CancellationToken cancellationToken)
    {
        var replies = await Task.WhenAll(neighbours.Snapshot().Select(async n =>
        {
            try
            {
                return PeerAddress.TryParse(n.Address, out var address, out _)
                    ? (await peers.GetNeighboursAsync(address, cancellationToken).ConfigureAwait(false)).Neighbours.Where(p => p.Id != self.Id).Select(p => p.Address).ToArray()
                    : [];
            }
            catch (RpcException)
            {
                return [];
            }
        })).ConfigureAwait(false);
        return replies.SelectMany(r => r);
    }

    private async Task<IEnumerable<string>> DnsSeedsAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(options.Value.DnsSeed))
        {
            return [];
        }
        try
        {
            var addresses = await Dns.GetHostAddressesAsync(options.Value.DnsSeed, cancellationToken).ConfigureAwait(false);
            return addresses.Select(ip => new PeerAddress(
                ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{ip}]" : ip.ToString(),
                options.Value.DnsSeedPort).ToString());
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            Log.DnsSeedFailed(logger, options.Value.DnsSeed, ex.SocketErrorCode.ToString());
            return [];
        }
    }

    private static async Task IgnoreFailure(Func<Task> call)
    {
        try
        {
            await call().ConfigureAwait(false);
        }
        catch (RpcException)
        {
        }
    }
}
