using System.Collections.Concurrent;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using P2PMesh.Core.Peers;
using P2PMesh.Core.Search;
using P2PMesh.V1;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace P2PMesh.Core.Bus;

/// <summary>
/// <see cref="IMomSearch"/> on RabbitMQ (docs/architecture.md, Message bus): one exclusive server-named reply queue per
/// process, consumed from the first search on; each search publishes a <see cref="BusSearchRequest"/> to the fanout
/// <see cref="MomTopology.SearchExchange"/> with <c>reply_to</c> = that queue, <c>correlation_id</c> = the query id in
/// lowercase hex (<see cref="QueryIdFormat"/>) and a per-message TTL that ends at the deadline, then collects the
/// <see cref="BusSearchReply"/> answers with that correlation id until the deadline (one per responder; a late reply is
/// dropped). A DI singleton, thread-safe; searches run concurrently.
/// </summary>
public sealed class MomSearch(MomConnection connection, ILocalPeer localPeer, TimeProvider timeProvider) : IMomSearch, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Collector> _searches = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IChannel? _channel;
    private volatile string? _replyQueue;

    /// <inheritdoc />
    public async Task<MomSearchResult> SearchAsync(ReadOnlyMemory<byte> queryId, string pattern, DateTime deadlineUtc, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var channel = await ChannelAsync(cancellationToken).ConfigureAwait(false);
        var correlationId = QueryIdFormat.Format(queryId.Span);
        var collector = new Collector();
        if (!_searches.TryAdd(correlationId, collector))
        {
            throw new ArgumentException($"A mom search with query id {correlationId} is already running.", nameof(queryId));
        }
        try
        {
            var deadline = new DateTimeOffset(DateTime.SpecifyKind(deadlineUtc, DateTimeKind.Utc));
            var remaining = deadline - timeProvider.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                return collector.Result();
            }
            var request = new BusSearchRequest
            {
                QueryId = ByteString.CopyFrom(queryId.Span),
                Pattern = pattern,
                Origin = localPeer.ToPeerInfo(),
                Deadline = Timestamp.FromDateTimeOffset(deadline),
            };
            var properties = MomTopology.PropertiesOf(request, persistent: false);
            properties.ReplyTo = _replyQueue;
            properties.CorrelationId = correlationId;
            // A peer's queue drops the request once nobody waits for it any more.
            properties.Expiration = ((long)Math.Ceiling(remaining.TotalMilliseconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            try
            {
                await channel.BasicPublishAsync(MomTopology.SearchExchange, "", mandatory: false, properties, request.ToByteArray(), cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (Exception e) when (MomConnection.IsBrokerFailure(e))
            {
                throw connection.Unavailable(e);
            }
            remaining = deadline - timeProvider.GetUtcNow();
            if (remaining > TimeSpan.Zero)
            {
                await Task.Delay(remaining, timeProvider, cancellationToken).ConfigureAwait(false);
            }
            return collector.Result();
        }
        finally
        {
            _searches.TryRemove(correlationId, out _);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_channel is { } channel)
        {
            await MomChannels.CloseQuietlyAsync(channel).ConfigureAwait(false);
        }
        _gate.Dispose();
    }

    /// <summary>The channel consuming the reply queue, opened on the first search.</summary>
    private async Task<IChannel> ChannelAsync(CancellationToken cancellationToken)
    {
        if (_channel is { } ready)
        {
            return ready;
        }
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_channel is { } raced)
            {
                return raced;
            }
            var channel = await connection.CreateChannelOrUnavailableAsync(null, cancellationToken).ConfigureAwait(false);
            try
            {
                await MomTopology.DeclareSearchExchangeAsync(channel, cancellationToken).ConfigureAwait(false);
                var queue = await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true, arguments: null, cancellationToken: cancellationToken)
                    .ConfigureAwait(false);
                _replyQueue = queue.QueueName;
                var consumer = new AsyncEventingBasicConsumer(channel);
                consumer.ReceivedAsync += (_, delivery) => CollectAsync(delivery);
                await channel.BasicConsumeAsync(queue.QueueName, autoAck: true, consumer, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (MomConnection.IsBrokerFailure(e))
            {
                await MomChannels.CloseQuietlyAsync(channel).ConfigureAwait(false);
                throw connection.Unavailable(e);
            }
            // Automatic recovery declares a new server-named queue: later requests must name the new one.
            connection.QueueRenamed += (before, after) =>
            {
                if (before == _replyQueue)
                {
                    _replyQueue = after;
                }
                return Task.CompletedTask;
            };
            _channel = channel;
            return channel;
        }
        finally
        {
            _gate.Release();
        }
    }

    private Task CollectAsync(BasicDeliverEventArgs delivery)
    {
        if (delivery.BasicProperties.CorrelationId is { } id
            && _searches.TryGetValue(id, out var collector)
            && MomTopology.TryParse(BusSearchReply.Parser, delivery.BasicProperties.Type, delivery.Body) is { Responder: not null } reply)
        {
            collector.Add(reply);
        }
        return Task.CompletedTask;
    }

    /// <summary>One search's answers, one per responder id.</summary>
    private sealed class Collector
    {
        private readonly Lock _lock = new();
        private readonly Dictionary<string, BusSearchReply> _replies = new(StringComparer.Ordinal);

        public void Add(BusSearchReply reply)
        {
            lock (_lock)
            {
                _replies.TryAdd(reply.Responder.Id, reply);
            }
        }

        public MomSearchResult Result()
        {
            lock (_lock)
            {
                return new MomSearchResult(_replies.Values.SelectMany(r => r.Hits).ToList(), _replies.Count);
            }
        }
    }
}
