using P2PMesh.Core.Bus;
using P2PMesh.V1;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace P2PMesh.Bootstrap.Directory.Bus;

/// <summary>
/// The directory's consumer of index events (docs/architecture.md, Message bus; <see cref="IndexEvent"/> in
/// protos/p2pmesh/v1/bus.proto). It declares the topology it depends on, so it works whoever starts first: the topic
/// exchange <see cref="MomTopology.IndexExchange"/>; the durable queue <see cref="MomTopology.DirectoryIndexQueue"/>
/// bound with <c>#</c> and dead-lettering to the fanout <see cref="MomTopology.DeadLetterExchange"/>, whose durable
/// queue is <see cref="MomTopology.DirectoryDeadLetterQueue"/>. Events published while the directory is down wait in the
/// durable queue and are applied when it comes back. Each delivery goes to <see cref="IIndexEventSink.ApplyAsync"/>:
/// <list type="bullet">
/// <item>applied or ignored (a peer not logged in): acknowledged;</item>
/// <item>not an IndexEvent (wrong <c>type</c>, bytes that do not parse, no peer or file, no change) or an
/// <see cref="ArgumentException"/> from the sink (an invalid event): rejected without requeue, hence dead-lettered, and
/// the next message is taken: a poison message neither crashes the consumer nor blocks the queue;</item>
/// <item>any other failure (transient: the sink's storage): negatively acknowledged with requeue after
/// <see cref="MomOptions.RecoveryInterval"/>, so it is tried again.</item>
/// </list>
/// At most <see cref="Prefetch"/> unacknowledged deliveries are in flight. Automatic recovery re-subscribes after the
/// broker comes back.
/// </summary>
/// <param name="connection">The broker connection.</param>
/// <param name="timeProvider">The clock of the retry delays.</param>
/// <param name="logger">The logger.</param>
/// <param name="sink">The directory's index; <c>null</c> when the host registered none: then nothing is consumed (one warning), and
/// the events wait in the durable queue.</param>
public sealed partial class IndexEventConsumer(
    MomConnection connection, TimeProvider timeProvider, ILogger<IndexEventConsumer> logger, IIndexEventSink? sink = null)
    : BackgroundService
{
    /// <summary>How many deliveries the broker sends ahead of the acknowledgements.</summary>
    public const ushort Prefetch = 32;

    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the queue is declared and consumed.</summary>
    public Task Subscribed => _subscribed.Task;

    /// <summary>Declares the directory's exchanges and queues (idempotent; the same arguments every time).</summary>
    public static async Task DeclareTopologyAsync(IChannel channel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        await MomTopology.DeclareIndexExchangeAsync(channel, cancellationToken).ConfigureAwait(false);
        await channel.ExchangeDeclareAsync(MomTopology.DeadLetterExchange, ExchangeType.Fanout, durable: true, autoDelete: false, arguments: null, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        await channel.QueueDeclareAsync(MomTopology.DirectoryDeadLetterQueue, durable: true, exclusive: false, autoDelete: false, arguments: null, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        await channel.QueueBindAsync(MomTopology.DirectoryDeadLetterQueue, MomTopology.DeadLetterExchange, "", arguments: null, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        await channel.QueueDeclareAsync(
            MomTopology.DirectoryIndexQueue, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-dead-letter-exchange"] = MomTopology.DeadLetterExchange },
            cancellationToken: cancellationToken).ConfigureAwait(false);
        await channel.QueueBindAsync(MomTopology.DirectoryIndexQueue, MomTopology.IndexExchange, "#", arguments: null, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (sink is null)
        {
            Log.NoSink(logger, MomTopology.DirectoryIndexQueue);
            return Task.CompletedTask;
        }
        return MomChannels.RunSubscriptionAsync(
            connection, SubscribeAsync, e => Log.SubscribeFailed(logger, connection.DisplayUri, e.Message), _subscribed, timeProvider, stoppingToken);
    }

    private async Task SubscribeAsync(IChannel channel, CancellationToken cancellationToken)
    {
        await DeclareTopologyAsync(channel, cancellationToken).ConfigureAwait(false);
        await channel.BasicQosAsync(prefetchSize: 0, prefetchCount: Prefetch, global: false, cancellationToken).ConfigureAwait(false);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) => HandleAsync(channel, delivery);
        await channel.BasicConsumeAsync(MomTopology.DirectoryIndexQueue, autoAck: false, consumer, cancellationToken).ConfigureAwait(false);
    }

    private async Task HandleAsync(IChannel channel, BasicDeliverEventArgs delivery)
    {
        var token = delivery.CancellationToken;
        ArgumentNullException.ThrowIfNull(sink);
        try
        {
            var indexEvent = MomTopology.TryParse(IndexEvent.Parser, delivery.BasicProperties.Type, delivery.Body);
            if (indexEvent is not { Peer: not null, File: not null } || indexEvent.Change == IndexEvent.Types.Change.Unspecified)
            {
                Log.DeadLettered(logger, delivery.RoutingKey, "not an IndexEvent with a peer, a file and a change");
                await channel.BasicRejectAsync(delivery.DeliveryTag, requeue: false, token).ConfigureAwait(false);
                return;
            }
            bool applied;
            try
            {
                applied = await sink.ApplyAsync(indexEvent, token).ConfigureAwait(false);
            }
            catch (ArgumentException e)
            {
                Log.DeadLettered(logger, delivery.RoutingKey, e.Message);
                await channel.BasicRejectAsync(delivery.DeliveryTag, requeue: false, token).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.ApplyFailed(logger, delivery.RoutingKey, e.Message);
                await Task.Delay(connection.RetryInterval, timeProvider, token).ConfigureAwait(false);
                await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: true, token).ConfigureAwait(false);
                return;
            }
            if (!applied)
            {
                Log.Ignored(logger, indexEvent.Peer.Id, indexEvent.File.Name);
            }
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RabbitMQ.Client.Exceptions.AlreadyClosedException or OperationCanceledException or IOException)
        {
            // The channel went away with the delivery unacknowledged: the broker delivers it again.
            Log.AckLost(logger, delivery.RoutingKey, e.Message);
        }
    }
}
