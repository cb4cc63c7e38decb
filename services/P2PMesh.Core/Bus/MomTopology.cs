using Google.Protobuf;
using P2PMesh.V1;
using RabbitMQ.Client;

namespace P2PMesh.Core.Bus;

/// <summary>
/// The bus's RabbitMQ names and message conventions (docs/architecture.md, Message bus; protos/p2pmesh/v1/bus.proto),
/// and the declarations every side makes the same way (declaring is idempotent, so each side declares what it uses).
/// </summary>
public static class MomTopology
{
    /// <summary>The durable topic exchange index events are published to, routing key <c>&lt;peer id&gt;.added|removed</c>.</summary>
    public const string IndexExchange = "p2pmesh.index";

    /// <summary>The durable fanout exchange mom searches (<see cref="BusSearchRequest"/>) are published to.</summary>
    public const string SearchExchange = "p2pmesh.search";

    /// <summary>The directory's durable queue of index events, bound to <see cref="IndexExchange"/> with <c>#</c>.</summary>
    public const string DirectoryIndexQueue = "p2pmesh.directory.index";

    /// <summary>The durable fanout exchange the directory's poison messages are dead-lettered to.</summary>
    public const string DeadLetterExchange = "p2pmesh.dead";

    /// <summary>The durable queue holding the directory's dead-lettered messages.</summary>
    public const string DirectoryDeadLetterQueue = "p2pmesh.directory.index.dead";

    /// <summary>The content type of every body: a protobuf message of bus.proto.</summary>
    public const string ContentType = "application/x-protobuf";

    /// <summary>The routing key of an index event: <c>&lt;peer id&gt;.added</c> or <c>&lt;peer id&gt;.removed</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="change"/> is neither ADDED nor REMOVED.</exception>
    public static string IndexRoutingKey(string peerId, IndexEvent.Types.Change change) => change switch
    {
        IndexEvent.Types.Change.Added => peerId + ".added",
        IndexEvent.Types.Change.Removed => peerId + ".removed",
        _ => throw new ArgumentOutOfRangeException(nameof(change), change, "An index event is ADDED or REMOVED."),
    };

    /// <summary>The routing key pattern of every ADDED event, whoever publishes it.</summary>
    public const string AddedBindingKey = "#.added";

    /// <summary>Properties of a bus message: <see cref="ContentType"/> and <c>type</c> = the message's full name (e.g. <c>p2pmesh.v1.IndexEvent</c>).</summary>
    public static BasicProperties PropertiesOf(IMessage message, bool persistent) => new()
    {
        ContentType = ContentType,
        Type = message.Descriptor.FullName,
        DeliveryMode = persistent ? DeliveryModes.Persistent : DeliveryModes.Transient,
    };

    /// <summary>Declares <see cref="IndexExchange"/> (topic, durable).</summary>
    public static Task DeclareIndexExchangeAsync(IChannel channel, CancellationToken cancellationToken) =>
        channel.ExchangeDeclareAsync(IndexExchange, ExchangeType.Topic, durable: true, autoDelete: false, arguments: null, cancellationToken: cancellationToken);

    /// <summary>Declares <see cref="SearchExchange"/> (fanout, durable).</summary>
    public static Task DeclareSearchExchangeAsync(IChannel channel, CancellationToken cancellationToken) =>
        channel.ExchangeDeclareAsync(SearchExchange, ExchangeType.Fanout, durable: true, autoDelete: false, arguments: null, cancellationToken: cancellationToken);

    /// <summary>
    /// Declares an exclusive, server-named queue bound to <paramref name="exchange"/> with <paramref name="bindingKey"/>,
    /// deleted with its connection, and returns its name (which automatic recovery may change).
    /// </summary>
    public static async Task<string> DeclarePrivateQueueAsync(IChannel channel, string exchange, string bindingKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        var queue = await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true, arguments: null, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        await channel.QueueBindAsync(queue.QueueName, exchange, bindingKey, arguments: null, cancellationToken: cancellationToken).ConfigureAwait(false);
        return queue.QueueName;
    }

    /// <summary>
    /// Parses a body as <typeparamref name="T"/> when the <c>type</c> property is its full name (or absent).
    /// </summary>
    /// <returns>The message, or <c>null</c> when the type names another message or the bytes are not one.</returns>
    public static T? TryParse<T>(MessageParser<T> parser, string? type, ReadOnlyMemory<byte> body)
        where T : class, IMessage<T>
    {
        ArgumentNullException.ThrowIfNull(parser);
        var message = parser.ParseFrom(ReadOnlySpan<byte>.Empty);
        if (type is { Length: > 0 } && type != message.Descriptor.FullName)
        {
            return null;
        }
        try
        {
            return parser.ParseFrom(body.Span);
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }
}
