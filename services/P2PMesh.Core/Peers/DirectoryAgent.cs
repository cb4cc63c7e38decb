using System.Threading.Channels;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P2PMesh.Contracts;
using P2PMesh.Core.Content;
using P2PMesh.Core.Telemetry;
using P2PMesh.V1;
using Kind = P2PMesh.V1.SendIndexRequest.Types.Kind;

namespace P2PMesh.Core.Peers;

/// <summary>
/// Keeps this peer's index in the directory (docs/architecture.md, Directory; protos/p2pmesh/v1/directory.proto), next
/// to the <see cref="MeshMaintainer"/>'s bootstrap housekeeping: logs in with the peer's secret
/// (<see cref="DirectoryClientOptions"/>), sends the FULL index, then on every <see cref="ContentIndex.Changed"/> a DELTA
/// diffed from the last acknowledged snapshot (by name; a different SHA-256, size or chunk size is a change), a burst
/// coalesced over <see cref="DirectoryClientOptions.DeltaDelay"/>, and a DIGEST every <c>digest_interval</c> when nothing
/// changed. <c>in_sync = false</c> → FULL; UNAUTHENTICATED (the session expired, or the directory restarted without its
/// database) → log in again and FULL; unreachable → retry with exponential back-off and jitter, the mesh flooding as
/// before meanwhile. When the directory is not the Bootstrap the peer heartbeats it itself. Logs out on a graceful stop.
/// No secret → one warning and nothing else. Every call runs under a <see cref="HousekeepingActivity"/>: no traces.
/// </summary>
public sealed partial class DirectoryAgent : BackgroundService
{
    private readonly ContentIndex _index;
    private readonly PeerChannelPool _channels;
    private readonly ILocalPeer _self;
    private readonly DirectoryClientOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<DirectoryAgent> _logger;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly PeerAddress? _directory;
    private readonly bool _heartbeatsItself;
    private readonly Channel<bool> _changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    private string? _session;
    private Dictionary<string, SharedFile>? _acknowledged;
    private TimeSpan _digestInterval = TimeSpan.FromSeconds(30);
    private TimeSpan _heartbeatInterval = TimeSpan.FromSeconds(10);
    private DateTimeOffset _nextDigest;
    private DateTimeOffset _nextHeartbeat;
    private int _failures;

    /// <summary>An agent for this peer's <paramref name="index"/>, talking to the directory over <paramref name="channels"/>.</summary>
    public DirectoryAgent(
        ContentIndex index,
        PeerChannelPool channels,
        ILocalPeer self,
        IOptions<DirectoryClientOptions> options,
        IOptions<NeighbourOptions> neighbourOptions,
        TimeProvider timeProvider,
        IHostApplicationLifetime lifetime,
        ILogger<DirectoryAgent> logger)
    {
        ArgumentNullException.ThrowIfNull(lifetime);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(neighbourOptions);
        _index = index;
        _channels = channels;
        _self = self;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
        _lifetime = lifetime;
        var bootstrap = neighbourOptions.Value.Bootstrap;
        _directory = _options.ResolveAddress(neighbourOptions.Value);
        _heartbeatsItself = _directory is not null && !(bootstrap is not null && PeerAddress.TryParse(bootstrap, out var b, out _) && b == _directory);
    }

    /// <summary>Whether the agent holds a session right now (for tests and diagnostics).</summary>
    public bool LoggedIn => Volatile.Read(ref _session) is not null;

    /// <summary>
    /// How many rounds in a row have failed (0 after a round that reached the directory); while it is above 0 the agent
    /// is waiting out its back-off and sends nothing (for tests and diagnostics).
    /// </summary>
    public int ConsecutiveFailures => Volatile.Read(ref _failures);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_directory is not { } directory)
        {
            Log.NoDirectory(_logger);
            return;
        }
        if (ReadSecret() is null)
        {
            Log.NoSecret(_logger, _self.Id);
            return;
        }
        _index.Changed += OnIndexChanged;
        try
        {
            // Until the server has bound, this peer's address may name port 0; a refused first login would wait out a back-off.
            await _lifetime.WhenStartedAsync(stoppingToken).ConfigureAwait(false);
            var failures = 0;
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    using (HousekeepingActivity.Start())
                    {
                        await SyncAsync(directory, stoppingToken).ConfigureAwait(false);
                    }
                    failures = 0;
                    Volatile.Write(ref _failures, 0);
                    await WaitForWorkAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (RpcException ex) when (!stoppingToken.IsCancellationRequested)
                {
                    failures++;
                    Volatile.Write(ref _failures, failures);
                    if (ex.StatusCode == StatusCode.Unauthenticated)
                    {
                        // A refused login stays refused until the secret changes; an ended session logs in again at once.
                        var refusedLogin = _session is null;
                        Volatile.Write(ref _session, null);
                        _acknowledged = null;
                        Log.SessionEnded(_logger, directory.ToString(), refusedLogin);
                        if (!refusedLogin && failures == 1)
                        {
                            continue;
                        }
                    }
                    else
                    {
                        Log.DirectoryUnreachable(_logger, directory.ToString(), ex.StatusCode);
                    }
                    await Task.Delay(RetryDelay(failures), _timeProvider, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host shutdown.
        }
        finally
        {
            _index.Changed -= OnIndexChanged;
        }
    }

    /// <summary>Stops the agent and ends its session (best effort); a token already cancelled means "stop now": no logout.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (cancellationToken.IsCancellationRequested || _directory is not { } directory || Interlocked.Exchange(ref _session, null) is not { } session)
        {
            return;
        }
        using var housekeeping = HousekeepingActivity.Start();
        try
        {
            await _channels.Directory(directory).LogoutAsync(new LogoutRequest { Session = session }, deadline: Deadline(), cancellationToken: cancellationToken).ConfigureAwait(false);
            Log.LoggedOut(_logger, directory.ToString());
        }
        catch (RpcException)
        {
            // Gone already (it left the Bootstrap first, or the directory is down): it expires there anyway.
        }
    }

    /// <summary>One round: log in if needed, then FULL, DELTA, DIGEST or heartbeat as due.</summary>
    private async Task SyncAsync(PeerAddress directory, CancellationToken cancellationToken)
    {
        var client = _channels.Directory(directory);
        if (_session is null)
        {
            var reply = await client.LoginAsync(new LoginRequest { Peer = _self.ToPeerInfo(), Credential = ReadSecret() ?? string.Empty },
                deadline: Deadline(), cancellationToken: cancellationToken).ConfigureAwait(false);
            _digestInterval = Positive(reply.DigestInterval?.ToTimeSpan(), _digestInterval);
            _heartbeatInterval = Positive(reply.HeartbeatInterval?.ToTimeSpan(), _heartbeatInterval);
            _acknowledged = null;
            _nextHeartbeat = _timeProvider.GetUtcNow() + _heartbeatInterval;
            Volatile.Write(ref _session, reply.Session);
            Log.LoggedIn(_logger, directory.ToString());
        }
        var session = _session!;
        var current = ShareDiff.Snapshot(_index);
        var inSync = true;
        if (_acknowledged is null)
        {
            inSync = await SendAsync(client, session, Kind.Full, [.. current.Values], [], new Dictionary<string, SharedFile>(), cancellationToken).ConfigureAwait(false);
            Log.SentFull(_logger, current.Count, inSync);
        }
        else
        {
            var diff = ShareDiff.Between(_acknowledged, current);
            if (!diff.IsEmpty)
            {
                inSync = await SendAsync(client, session, Kind.Delta, diff.Upserted, [.. diff.Removed.Select(f => f.Name)], _acknowledged, cancellationToken).ConfigureAwait(false);
                Log.SentDelta(_logger, diff.Upserted.Count, diff.Removed.Count, inSync);
            }
            else if (_timeProvider.GetUtcNow() >= _nextDigest)
            {
                var reply = await client.SendIndexAsync(new SendIndexRequest { Session = session, Kind = Kind.Digest, Digest = IndexDigest.Compute(current.Values) },
                    deadline: Deadline(), cancellationToken: cancellationToken).ConfigureAwait(false);
                inSync = reply.InSync;
                _nextDigest = _timeProvider.GetUtcNow() + _digestInterval;
            }
        }
        // Not in sync: the next round (at once) sends the full index.
        _acknowledged = inSync ? current : null;
        if (!inSync)
        {
            _changed.Writer.TryWrite(true);
        }
        if (_heartbeatsItself && _timeProvider.GetUtcNow() >= _nextHeartbeat)
        {
            var known = (await _channels.Bootstrap(directory).HeartbeatAsync(_self.ToPeerInfo(), deadline: Deadline(), cancellationToken: cancellationToken).ConfigureAwait(false)).Known;
            _nextHeartbeat = _timeProvider.GetUtcNow() + _heartbeatInterval;
            if (!known)
            {
                throw new RpcException(new Status(StatusCode.Unauthenticated, "the directory no longer knows this peer"));
            }
        }
    }

    /// <summary>
    /// Sends a FULL (from nothing) or DELTA (from <paramref name="before"/>) update in batches of at most
    /// <see cref="DirectoryClientOptions.BatchSize"/> entries, each carrying the digest of what the directory holds once
    /// that batch is applied; returns the last reply's <c>in_sync</c>.
    /// </summary>
    private async Task<bool> SendAsync(
        PeerDirectory.PeerDirectoryClient client, string session, Kind kind, IReadOnlyList<SharedFile> upserted, IReadOnlyList<string> removed,
        IReadOnlyDictionary<string, SharedFile> before, CancellationToken cancellationToken)
    {
        var state = new Dictionary<string, SharedFile>(before, StringComparer.Ordinal);
        var batch = _options.BatchSize;
        var inSync = false;
        var first = true;
        for (int r = 0, u = 0; first || r < removed.Count || u < upserted.Count; first = false)
        {
            var request = new SendIndexRequest { Session = session, Kind = first ? kind : Kind.Delta };
            for (; r < removed.Count && request.Removed.Count < batch; r++)
            {
                request.Removed.Add(new SharedFile { Name = removed[r] });
                state.Remove(removed[r]);
            }
            for (; u < upserted.Count && request.Removed.Count + request.Upserted.Count < batch; u++)
            {
                request.Upserted.Add(upserted[u]);
                state[upserted[u].Name] = upserted[u];
            }
            request.Digest = IndexDigest.Compute(state.Values);
            inSync = (await client.SendIndexAsync(request, deadline: Deadline(), cancellationToken: cancellationToken).ConfigureAwait(false)).InSync;
        }
        _nextDigest = _timeProvider.GetUtcNow() + _digestInterval;
        return inSync;
    }

    /// <summary>Waits until the index changed (then <see cref="DirectoryClientOptions.DeltaDelay"/> more) or the next digest or heartbeat is due.</summary>
    private async Task WaitForWorkAsync(CancellationToken stoppingToken)
    {
        var now = _timeProvider.GetUtcNow();
        var due = _heartbeatsItself && _nextHeartbeat < _nextDigest ? _nextHeartbeat : _nextDigest;
        var wait = due - now;
        if (wait > TimeSpan.Zero)
        {
            using var timeout = new CancellationTokenSource(wait, _timeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token);
            try
            {
                await _changed.Reader.WaitToReadAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
        if (_changed.Reader.TryRead(out _) && _acknowledged is not null && _options.DeltaDelay > TimeSpan.Zero)
        {
            await Task.Delay(_options.DeltaDelay, _timeProvider, stoppingToken).ConfigureAwait(false);
        }
    }

    private void OnIndexChanged(object? sender, EventArgs e) => _changed.Writer.TryWrite(true);

    private string? ReadSecret() => _options.ReadSecret(_self.Id);

    /// <summary>Exponential back-off from <see cref="DirectoryClientOptions.RetryDelay"/> up to <see cref="DirectoryClientOptions.MaxRetryDelay"/>, with jitter (50–100 %).</summary>
    private TimeSpan RetryDelay(int failures)
    {
        var exponential = _options.RetryDelay * Math.Pow(2, Math.Min(failures - 1, 20));
        var capped = exponential < _options.MaxRetryDelay ? exponential : _options.MaxRetryDelay;
        return capped * (0.5 + (Random.Shared.NextDouble() / 2));
    }

    private DateTime Deadline() => _timeProvider.GetUtcNow().UtcDateTime + _options.CallTimeout;

    private static TimeSpan Positive(TimeSpan? value, TimeSpan fallback) => value is { } v && v > TimeSpan.Zero ? v : fallback;
}
