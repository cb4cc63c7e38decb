using System.Collections.Concurrent;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using P2PMesh.Contracts;
using P2PMesh.Core.Peers;
using P2PMesh.Core.Telemetry;
using P2PMesh.ServiceDefaults.Admission;
using P2PMesh.V1;

namespace P2PMesh.PServer.Admission;

/// <summary>
/// The keys a PServer verifies peer tokens with (docs/security.md, Admission): the directory's JSON Web Key Set
/// (<c>PeerDirectory.GetTokenKeys</c>, protos/p2pmesh/v1/directory.proto), fetched once the host has started, every
/// 5 minutes, and when a token names a key id not seen yet (at most once per 10 s, waiting at most 2 s for the
/// answer). Keys are kept once seen (the newest 16), so peers stay admitted while the directory is down or after it
/// restarted with a new key. Thread-safe.
/// </summary>
public sealed partial class DirectoryTokenKeys : BackgroundService, IPeerTokenKeys
{
    private const int MaxKeys = 16;
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan UnknownKeyRefreshInterval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan UnknownKeyPatience = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, (SecurityKey Key, long Added)> _keys = new(StringComparer.Ordinal);
    private readonly PeerChannelPool _channels;
    private readonly PeerAddress? _directory;
    private readonly TimeProvider _timeProvider;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<DirectoryTokenKeys> _logger;
    private long _lastUnknownKeyFetch = long.MinValue;

    /// <summary>Creates the cache for the directory of <see cref="DirectoryClientOptions.ResolveAddress"/>.</summary>
    public DirectoryTokenKeys(
        PeerChannelPool channels,
        IOptions<DirectoryClientOptions> directory,
        IOptions<NeighbourOptions> neighbours,
        TimeProvider timeProvider,
        IHostApplicationLifetime lifetime,
        ILogger<DirectoryTokenKeys> logger)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(neighbours);
        _channels = channels;
        _directory = directory.Value.ResolveAddress(neighbours.Value);
        _timeProvider = timeProvider;
        _lifetime = lifetime;
        _logger = logger;
    }

    /// <summary>How many keys are known.</summary>
    public int Count => _keys.Count;

    /// <inheritdoc />
    public IEnumerable<SecurityKey> Resolve(string? kid)
    {
        if (kid is null)
        {
            return [.. _keys.Values.Select(k => k.Key)];
        }
        if (_keys.TryGetValue(kid, out var known))
        {
            return [known.Key];
        }
        var now = _timeProvider.GetTimestamp();
        var last = Interlocked.Read(ref _lastUnknownKeyFetch);
        if ((last == long.MinValue || _timeProvider.GetElapsedTime(last, now) >= UnknownKeyRefreshInterval)
            && Interlocked.CompareExchange(ref _lastUnknownKeyFetch, now, last) == last)
        {
            try
            {
                FetchAsync(CancellationToken.None).Wait(UnknownKeyPatience);
            }
            catch (AggregateException)
            {
            }
        }
        return _keys.TryGetValue(kid, out known) ? [known.Key] : [];
    }

    /// <summary>Fetches the directory's key set now and adds its keys; false when there is no directory or it failed.</summary>
    public async Task<bool> FetchAsync(CancellationToken cancellationToken)
    {
        if (_directory is not { } directory)
        {
            return false;
        }
        try
        {
            using var housekeeping = HousekeepingActivity.Start();
            var reply = await _channels.Directory(directory).GetTokenKeysAsync(new GetTokenKeysRequest(),
                deadline: _timeProvider.GetUtcNow().UtcDateTime.AddSeconds(5), cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var key in new JsonWebKeySet(reply.Jwks).GetSigningKeys())
            {
                if (key.KeyId is { } id)
                {
                    _keys.TryAdd(id, (key, _timeProvider.GetTimestamp()));
                }
            }
            while (_keys.Count > MaxKeys && _keys.MinBy(k => k.Value.Added) is { Key: { } oldest })
            {
                _keys.TryRemove(oldest, out _);
            }
            return true;
        }
        catch (Exception ex) when (ex is RpcException or ArgumentException or InvalidOperationException)
        {
            Log.FetchFailed(_logger, directory.ToString(), ex.Message);
            return false;
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_directory is null)
        {
            return;
        }
        await _lifetime.WhenStartedAsync(stoppingToken).ConfigureAwait(false);
        while (!stoppingToken.IsCancellationRequested)
        {
            var fetched = await FetchAsync(stoppingToken).ConfigureAwait(false);
            try
            {
                await Task.Delay(fetched || _keys.Count > 0 ? RefreshInterval : TimeSpan.FromSeconds(2), _timeProvider, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 262, Level = LogLevel.Warning, EventName = "TokenKeysFetchFailed", Message = "Could not fetch the peer-token keys from the directory {Directory}: {Reason}.")]
        public static partial void FetchFailed(ILogger logger, string directory, string reason);
    }
}
