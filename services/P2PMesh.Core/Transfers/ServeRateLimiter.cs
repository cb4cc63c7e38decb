using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace P2PMesh.Core.Transfers;

/// <summary>
/// The cap on the bytes a peer serves per second (<see cref="TransferOptions.MaxServeBytesPerSecond"/>), shared by every
/// <c>ReadChunks</c> call of the process: a <see cref="TokenBucketRateLimiter"/> counted in KiB, refilled every 100 ms
/// with a tenth of the rate and holding at most one second's worth (never less than one 512 KiB Chunk message), waiters
/// served oldest first. With no cap, <see cref="WaitAsync"/> returns at once. A DI singleton.
/// </summary>
public sealed class ServeRateLimiter : IDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(100);
    private readonly TokenBucketRateLimiter? _bucket;

    /// <summary>Creates the limiter for the configured rate.</summary>
    public ServeRateLimiter(IOptions<TransferOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var perSecond = options.Value.MaxServeBytesPerSecond;
        if (perSecond <= 0)
        {
            return;
        }
        var kibPerSecond = (int)Math.Min(int.MaxValue, (perSecond + 1023) / 1024);
        _bucket = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(kibPerSecond, TransferOptions.MaxChunkMessageBytes / 1024),
            TokensPerPeriod = Math.Max(1, kibPerSecond / 10),
            ReplenishmentPeriod = Period,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    /// <summary>Waits until <paramref name="bytes"/> (at most <see cref="TransferOptions.MaxChunkMessageBytes"/>) may be sent.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired while waiting.</exception>
    public async ValueTask WaitAsync(int bytes, CancellationToken cancellationToken)
    {
        if (_bucket is null)
        {
            return;
        }
        using var lease = await _bucket.AcquireAsync(Math.Max(1, (bytes + 1023) / 1024), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose() => _bucket?.Dispose();
}
