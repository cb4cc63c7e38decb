using Microsoft.Extensions.Hosting;

namespace P2PMesh.Core.Peers;

/// <summary>
/// Waiting for the host to have started (docs/architecture.md, Neighbours and Directory). Hosted services start before
/// the gRPC server binds, so until then a PServer started on port 0 advertises <c>host:0</c> (<see cref="ILocalPeer"/>),
/// which the Bootstrap and the directory refuse: the services that introduce this peer to others wait for this first.
/// </summary>
public static class HostStartedExtensions
{
    /// <summary>Completes once the host has started (its server bound), at once when it already has; throws
    /// <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fires first.</summary>
    public static async Task WhenStartedAsync(this IHostApplicationLifetime lifetime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lifetime);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
