using System.Threading.Channels;
using Google.Protobuf;
using P2PMesh.Core.Bus;
using P2PMesh.V1;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace P2PMesh.Bus.Tests.Infrastructure;

/// <summary>
/// The test's own view of the broker: a connection of its own, a queue bound to <c>p2pmesh.index</c> (exclusive, or
/// durable and named to survive a broker restart) and the index events it receives; also publishes raw messages and
/// reads queues with basic.get.
/// </summary>
public sealed class BusProbe : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly Channel<IndexEvent> _events = System.Threading.Channels.Channel.CreateUnbounded<IndexEvent>();

    private BusProbe(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    public IChannel Channel => _channel;

    /// <summary>The queue's name ("" when it only publishes).</summary>
    public string Queue { get; private set; } = "";

    public static async Task<BusProbe> ConnectAsync(Uri broker)
    {
        var connection = await new ConnectionFactory { Uri = broker, ClientProvidedName = "bus-tests" }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        await MomTopology.DeclareIndexExchangeAsync(channel, CancellationToken.None);
        return new BusProbe(connection, channel);
    }

    /// <param name="broker">The broker.</param>
    /// <param name="bindingKey">e.g. <c>peer-1.*</c>.</param>
    /// <param name="durableQueue">A durable queue of this name (kept across a broker restart, deleted on dispose); <c>null</c> for an exclusive one.</param>
    /// <param name="consume">Whether to consume (else the messages stay in the queue for <see cref="DrainAsync"/>).</param>
    public static async Task<BusProbe> StartAsync(Uri broker, string bindingKey, string? durableQueue = null, bool consume = true)
    {
        var probe = await ConnectAsync(broker);
        var queue = durableQueue is null
            ? await MomTopology.DeclarePrivateQueueAsync(probe._channel, MomTopology.IndexExchange, bindingKey, CancellationToken.None)
            : (await probe._channel.QueueDeclareAsync(durableQueue, durable: true, exclusive: false, autoDelete: false)).QueueName;
        if (durableQueue is not null)
        {
            await probe._channel.QueueBindAsync(queue, MomTopology.IndexExchange, bindingKey);
        }
        probe.Queue = queue;
        if (consume)
        {
            var consumer = new AsyncEventingBasicConsumer(probe._channel);
            consumer.ReceivedAsync += (_, delivery) =>
            {
                probe._events.Writer.TryWrite(IndexEvent.Parser.ParseFrom(delivery.Body.Span));
                return Task.CompletedTask;
            };
            await probe._channel.BasicConsumeAsync(queue, autoAck: true, consumer);
        }
        return probe;
    }

    /// <summary>The next event received that satisfies <paramref name="match"/> (earlier ones are skipped).</summary>
    public async Task<IndexEvent> NextAsync(Func<IndexEvent, bool> match)
    {
        using var patience = new CancellationTokenSource(Patience.Default);
        while (true)
        {
            var next = await _events.Reader.ReadAsync(patience.Token);
            if (match(next))
            {
                return next;
            }
        }
    }

    /// <summary>Every message now in <paramref name="queue"/> (taken with basic.get, acknowledged).</summary>
    public async Task<List<BasicGetResult>> DrainAsync(string queue)
    {
        var messages = new List<BasicGetResult>();
        while (await _channel.BasicGetAsync(queue, autoAck: true) is { } message)
        {
            messages.Add(message);
        }
        return messages;
    }

    /// <summary>Publishes raw bytes to <c>p2pmesh.index</c>, persistent, with the given <c>type</c> property.</summary>
    public async Task PublishAsync(string routingKey, byte[] body, string? type)
    {
        var properties = new BasicProperties { ContentType = MomTopology.ContentType, Type = type, DeliveryMode = DeliveryModes.Persistent };
        await _channel.BasicPublishAsync(MomTopology.IndexExchange, routingKey, mandatory: false, properties, body);
    }

    /// <summary>Publishes an index event as a PServer would.</summary>
    public Task PublishAsync(IndexEvent indexEvent) =>
        PublishAsync(MomTopology.IndexRoutingKey(indexEvent.Peer.Id, indexEvent.Change), indexEvent.ToByteArray(), IndexEvent.Descriptor.FullName);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (Queue.Length > 0 && !Queue.StartsWith("amq.", StringComparison.Ordinal))
            {
                await _channel.QueueDeleteAsync(Queue);
            }
            await _channel.CloseAsync();
            await _connection.CloseAsync();
        }
        catch (Exception e) when (e is RabbitMQ.Client.Exceptions.AlreadyClosedException or IOException)
        {
        }
        _channel.Dispose();
        _connection.Dispose();
    }
}
