using Microsoft.Extensions.Hosting;

namespace P2PMesh.Core.Peers;

/// <summary>
/// Disposes the host's idle gRPC channels (<see cref="PeerChannelPool.EvictIdle"/>) every <see cref="Interval"/>, so
/// channels to peers that left the mesh do not pile up (docs/architecture.md, The gRPC stack).
/// </summary>
public sealed class PeerChannelSweeper(PeerChannelPool channels, TimeProvider timeProvider) : BackgroundService
{
    /// <summary>How often idle channels are looked for: every minute.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, timeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            channels.EvictIdle();
        }
    }
}
