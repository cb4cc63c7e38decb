using Google.Protobuf;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using P2PMesh.Contracts;
using P2PMesh.Core.Content;
using P2PMesh.Core.Peers;
using P2PMesh.V1;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace P2PMesh.Core.Bus;

/// <summary>
/// This PServer's side of mom search (docs/architecture.md, Message bus; <see cref="BusSearchRequest"/> in
/// protos/p2pmesh/v1/bus.proto): an exclusive server-named queue bound to the fanout <see cref="MomTopology.SearchExchange"/>
/// receives every request; when its deadline has not passed and the pattern matches files of this peer's
/// <see cref="ContentIndex"/>, one <see cref="BusSearchReply"/> with those hits goes to the request's <c>reply_to</c>
/// queue through the default exchange with the request's correlation id. A request that is not a BusSearchRequest, has
/// an invalid pattern or no reply queue is dropped. Replies are best effort (no confirms): the requester stops waiting
/// at its deadline anyway. The queue, its binding and the consumer come back with automatic recovery.
/// </summary>
public sealed partial class MomSearchResponder(
    ContentIndex index, ILocalPeer localPeer, MomConnection connection, TimeProvider timeProvider, ILogger<MomSearchResponder> logger)
    : BackgroundService
{
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _answered;

    /// <summary>Requests answered (with at least one hit) since the start.</summary>
    public long AnsweredCount => Interlocked.Read(ref _answered);

    /// <summary>Completes once the queue is bound and consuming (for tests and readiness).</summary>
    public Task Subscribed => _subscribed.Task;

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => MomChannels.RunSubscriptionAsync(
        connection, SubscribeAsync, e => Log.SubscribeFailed(logger, connection.DisplayUri, e.Message), _subscribed, timeProvider, stoppingToken);

    private async Task SubscribeAsync(IChannel channel, CancellationToken cancellationToken)
    {
        await MomTopology.DeclareSearchExchangeAsync(channel, cancellationToken).ConfigureAwait(false);
        var queue = await MomTopology.DeclarePrivateQueueAsync(channel, MomTopology.SearchExchange, "", cancellationToken).ConfigureAwait(false);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) => AnswerAsync(channel, delivery);
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer, cancellationToken).ConfigureAwait(false);
    }

    private async Task AnswerAsync(IChannel channel, BasicDeliverEventArgs delivery)
    {
        try
        {
            var replyTo = delivery.BasicProperties.ReplyTo;
            var request = MomTopology.TryParse(BusSearchRequest.Parser, delivery.BasicProperties.Type, delivery.Body);
            if (request is null || string.IsNullOrEmpty(replyTo) || request.Deadline is null
                || request.Deadline.ToDateTimeOffset() <= timeProvider.GetUtcNow())
            {
                return;
            }
            SearchPattern pattern;
            try
            {
                pattern = SearchPattern.Parse(request.Pattern);
            }
            catch (FormatException)
            {
                return;
            }
            var files = index.Search(pattern);
            if (files.Count == 0)
            {
                return;
            }
            var responder = localPeer.ToPeerInfo();
            var reply = new BusSearchReply { QueryId = request.QueryId, Responder = responder };
            reply.Hits.AddRange(files.Select(file => file.ToHit(responder, [responder.Id], hops: 0)));
            var properties = MomTopology.PropertiesOf(reply, persistent: false);
            properties.CorrelationId = delivery.BasicProperties.CorrelationId;
            await channel.BasicPublishAsync("", replyTo, mandatory: false, properties, reply.ToByteArray(), delivery.CancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _answered);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // One bad request or a lost connection must not stop the consumer.
            Log.AnswerFailed(logger, e.Message);
        }
    }
}
