using Microsoft.Extensions.Options;

namespace P2PMesh.Bootstrap.Peers;

/// <summary>
/// Purges expired peers from <see cref="PeerRegistry"/> every <see cref="BootstrapOptions.HeartbeatInterval"/>,
/// so expiries are logged and memory freed even when no calls arrive. Correctness does not depend on
/// it: the registry also purges on every access.
/// </summary>
internal sealed class PeerExpirySweeper(PeerRegistry registry, IOptions<BootstrapOptions> options, TimeProvider timeProvider) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.HeartbeatInterval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                registry.PurgeExpired();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host shutdown.
        }
    }
}
