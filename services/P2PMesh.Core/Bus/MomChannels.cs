using RabbitMQ.Client;

namespace P2PMesh.Core.Bus;

/// <summary>How the bus's long-lived consumers hold their channel (docs/architecture.md, Message bus).</summary>
public static class MomChannels
{
    /// <summary>
    /// Opens a channel on <paramref name="connection"/> and lets <paramref name="subscribe"/> declare and consume on it,
    /// retrying every <see cref="MomConnection.RetryInterval"/> (reporting each failure to <paramref name="failed"/>) until
    /// it succeeds; completes <paramref name="subscribed"/>, keeps the channel (automatic recovery brings it back with the
    /// connection) until <paramref name="stoppingToken"/> fires, then closes it. Returns normally when stopped.
    /// </summary>
    public static async Task RunSubscriptionAsync(
        MomConnection connection, Func<IChannel, CancellationToken, Task> subscribe, Action<Exception> failed, TaskCompletionSource subscribed,
        TimeProvider timeProvider, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(subscribe);
        ArgumentNullException.ThrowIfNull(failed);
        ArgumentNullException.ThrowIfNull(subscribed);
        IChannel? channel = null;
        try
        {
            while (channel is null)
            {
                IChannel? opened = null;
                try
                {
                    var open = await connection.GetAsync(stoppingToken).ConfigureAwait(false);
                    opened = await open.CreateChannelAsync(cancellationToken: stoppingToken).ConfigureAwait(false);
                    await subscribe(opened, stoppingToken).ConfigureAwait(false);
                    channel = opened;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    if (opened is not null)
                    {
                        await CloseQuietlyAsync(opened).ConfigureAwait(false);
                    }
                    failed(e);
                    await Task.Delay(connection.RetryInterval, timeProvider, stoppingToken).ConfigureAwait(false);
                }
            }
            subscribed.TrySetResult();
            await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (channel is not null)
            {
                await CloseQuietlyAsync(channel).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Closes and disposes <paramref name="channel"/>; a channel (or connection) already gone is not an error.</summary>
    public static async Task CloseQuietlyAsync(IChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        try
        {
            if (channel.IsOpen)
            {
                await channel.CloseAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is RabbitMQ.Client.Exceptions.AlreadyClosedException or RabbitMQ.Client.Exceptions.OperationInterruptedException
            or IOException or OperationCanceledException)
        {
        }
        finally
        {
            await channel.DisposeAsync().ConfigureAwait(false);
        }
    }
}
