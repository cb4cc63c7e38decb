using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P2PMesh.Contracts;
using P2PMesh.V1;

namespace P2PMesh.Core.Peers;

/// <summary>
/// Keeps this process holding a valid peer token (docs/security.md, Admission): once the host has started, asks the
/// directory (<c>PeerDirectory.IssueToken</c>, protos/p2pmesh/v1/directory.proto) with the peer's secret
/// (<see cref="DirectoryClientOptions.ReadSecret"/>), stores it in <see cref="PeerTokenHolder"/>, renews it at half its
/// life, and retries with back-off (1 s doubling to 30 s) while the directory cannot be reached or refuses. Does nothing
/// when no directory or no secret is configured.
/// </summary>
public sealed partial class PeerTokenSource : BackgroundService
{
    private readonly PeerChannelPool _channels;
    private readonly PeerTokenHolder _holder;
    private readonly IPeerTokenSubject _subject;
    private readonly DirectoryClientOptions _options;
    private readonly PeerAddress? _directory;
    private readonly TimeProvider _timeProvider;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<PeerTokenSource> _logger;

    /// <summary>Creates the source; <see cref="PeerTokenHolder.Expected"/> says whether it will fetch tokens.</summary>
    public PeerTokenSource(
        PeerChannelPool channels,
        PeerTokenHolder holder,
        IPeerTokenSubject subject,
        IOptions<DirectoryClientOptions> options,
        IOptions<NeighbourOptions> neighbours,
        TimeProvider timeProvider,
        IHostApplicationLifetime lifetime,
        ILogger<PeerTokenSource> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(neighbours);
        ArgumentNullException.ThrowIfNull(holder);
        ArgumentNullException.ThrowIfNull(subject);
        _channels = channels;
        _holder = holder;
        _subject = subject;
        _options = options.Value;
        _directory = _options.ResolveAddress(neighbours.Value);
        _timeProvider = timeProvider;
        _lifetime = lifetime;
        _logger = logger;
        holder.Expected = _directory is not null && _options.ReadSecret(subject.PeerId) is not null;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_holder.Expected || _directory is not { } directory)
        {
            return;
        }
        // A PServer's address names its bound port only once the server has started.
        await _lifetime.WhenStartedAsync(stoppingToken).ConfigureAwait(false);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                using var housekeeping = Telemetry.HousekeepingActivity.Start();
                var reply = await _channels.Directory(directory).IssueTokenAsync(new IssueTokenRequest
                {
                    PeerId = _subject.PeerId,
                    Address = _subject.Address ?? string.Empty,
                    Credential = _options.ReadSecret(_subject.PeerId) ?? string.Empty,
                }, deadline: _timeProvider.GetUtcNow().UtcDateTime + _options.CallTimeout, cancellationToken: stoppingToken).ConfigureAwait(false);
                _holder.Set(reply.Token);
                failures = 0;
                var life = reply.ExpiresAt.ToDateTimeOffset() - _timeProvider.GetUtcNow();
                wait = life > TimeSpan.FromSeconds(2) ? life / 2 : TimeSpan.FromSeconds(1);
                Log.TokenIssued(_logger, _subject.PeerId, reply.ExpiresAt.ToDateTimeOffset());
            }
            catch (RpcException ex) when (!stoppingToken.IsCancellationRequested)
            {
                failures++;
                wait = TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, Math.Min(failures - 1, 5))));
                Log.TokenRefused(_logger, _subject.PeerId, directory.ToString(), ex.StatusCode, ex.Status.Detail, wait.TotalSeconds);
            }
            try
            {
                await Task.Delay(wait, _timeProvider, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 260, Level = LogLevel.Debug, EventName = "PeerTokenIssued", Message = "Peer token for {PeerId} issued, valid until {ExpiresAt:o}.")]
        public static partial void TokenIssued(ILogger logger, string peerId, DateTimeOffset expiresAt);

        [LoggerMessage(EventId = 261, Level = LogLevel.Warning, EventName = "PeerTokenRefused", Message = "No peer token for {PeerId} from the directory {Directory}: {StatusCode} {Detail}; retrying in {RetrySeconds} s.")]
        public static partial void TokenRefused(ILogger logger, string peerId, string directory, StatusCode statusCode, string detail, double retrySeconds);
    }
}
