using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P2PMesh.Core.Content;
using P2PMesh.Core.Peers;
using P2PMesh.V1;
using RabbitMQ.Client;

namespace P2PMesh.Core.Bus;

/// <summary>
/// Publishes this PServer's index changes (docs/architecture.md, Message bus; <see cref="IndexEvent"/> in
/// protos/p2pmesh/v1/bus.proto): on every <see cref="ContentIndex.Changed"/> it compares the index with what it last
/// saw and queues one event per file, ADDED (new, or new content) or REMOVED, in that order; a single loop publishes
/// them to <see cref="MomTopology.IndexExchange"/> with routing key <c>&lt;peer id&gt;.added|removed</c>, persistent,
/// awaiting each publisher confirm before the next. An event the broker did not confirm (it is away, or refused it)
/// stays first in the queue and is published again once the connection is back, so nothing is lost while the peer runs
/// (at least once: a retried event may arrive twice, and applying one twice changes nothing). The queue holds at most
/// <see cref="MomOptions.MaxPendingEvents"/>; beyond that the oldest are dropped, with a warning. The first scan
/// publishes every file as ADDED, so a directory that missed the peer's earlier life learns its whole share.
/// </summary>
public sealed partial class IndexEventPublisher : BackgroundService
{
    private static readonly TimeSpan ConfirmPatience = TimeSpan.FromSeconds(15);
    private readonly ContentIndex _index;
    private readonly ILocalPeer _localPeer;
    private readonly MomConnection _connection;
    private readonly MomOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<IndexEventPublisher> _logger;
    private readonly Lock _lock = new();
    private Dictionary<string, SharedFile> _seen = new(StringComparer.Ordinal);
    private readonly LinkedList<IndexEvent> _pending = new();
    private readonly SemaphoreSlim _work = new(0);
    private long _published;

    /// <summary>Creates the publisher; it starts with the host.</summary>
    public IndexEventPublisher(
        ContentIndex index, ILocalPeer localPeer, MomConnection connection, IOptions<MomOptions> options, TimeProvider timeProvider,
        ILogger<IndexEventPublisher> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _index = index ?? throw new ArgumentNullException(nameof(index));
        _localPeer = localPeer ?? throw new ArgumentNullException(nameof(localPeer));
        _connection = connection ?? throw new ArgumentNullException(nameof(connection));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _options = options.Value;
    }

    /// <summary>Events queued and not yet confirmed by the broker.</summary>
    public int PendingCount
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Events the broker has confirmed since the start.</summary>
    public long PublishedCount => Interlocked.Read(ref _published);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _index.Changed += OnIndexChanged;
        IChannel? channel = null;
        try
        {
            if (_index.LastScanCompleted is not null)
            {
                QueueChanges();
            }
            while (!stoppingToken.IsCancellationRequested)
            {
                await _work.WaitAsync(stoppingToken).ConfigureAwait(false);
                while (_work.Wait(0, CancellationToken.None))
                {
                    // One pass publishes everything queued so far: drop the extra wake-ups.
                }
                try
                {
                    channel ??= await OpenChannelAsync(stoppingToken).ConfigureAwait(false);
                    await PublishPendingAsync(channel, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    Log.PublishFailed(_logger, PendingCount, _connection.DisplayUri, e.Message);
                    // While the connection is being recovered its channels come back with it; a channel that closed on its
                    // own (the connection is open) is replaced.
                    if (channel is { IsClosed: true } && _connection.IsOpen)
                    {
                        await MomChannels.CloseQuietlyAsync(channel).ConfigureAwait(false);
                        channel = null;
                    }
                    await Task.Delay(_connection.RetryInterval, _timeProvider, stoppingToken).ConfigureAwait(false);
                    _work.Release();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _index.Changed -= OnIndexChanged;
            if (channel is not null)
            {
                await MomChannels.CloseQuietlyAsync(channel).ConfigureAwait(false);
            }
        }
    }

    private async Task<IChannel> OpenChannelAsync(CancellationToken cancellationToken)
    {
        var connection = await _connection.GetAsync(cancellationToken).ConfigureAwait(false);
        var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken).ConfigureAwait(false);
        await MomTopology.DeclareIndexExchangeAsync(channel, cancellationToken).ConfigureAwait(false);
        return channel;
    }

    private async Task PublishPendingAsync(IChannel channel, CancellationToken cancellationToken)
    {
        while (true)
        {
            IndexEvent? next;
            lock (_lock)
            {
                next = _pending.First?.Value;
            }
            if (next is null)
            {
                return;
            }
            using (var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                patience.CancelAfter(ConfirmPatience);
                // With confirmation tracking, the call returns once the broker has confirmed the message (it throws on a nack).
                await channel.BasicPublishAsync(
                    MomTopology.IndexExchange, MomTopology.IndexRoutingKey(_localPeer.Id, next.Change), mandatory: false,
                    MomTopology.PropertiesOf(next, persistent: true), next.ToByteArray(), patience.Token).ConfigureAwait(false);
            }
            lock (_lock)
            {
                // Only this loop removes events; the oldest may have been dropped meanwhile by an overflow.
                if (ReferenceEquals(_pending.First?.Value, next))
                {
                    _pending.RemoveFirst();
                }
            }
            Interlocked.Increment(ref _published);
        }
    }

    private void OnIndexChanged(object? sender, EventArgs e) => QueueChanges();

    /// <summary>Compares the index with what was seen last and queues an event per difference.</summary>
    private void QueueChanges()
    {
        var dropped = 0;
        lock (_lock)
        {
            var current = ShareDiff.Snapshot(_index);
            var diff = ShareDiff.Between(_seen, current);
            if (diff.IsEmpty)
            {
                return;
            }
            _seen = current;
            var now = Timestamp.FromDateTimeOffset(_timeProvider.GetUtcNow());
            var peer = _localPeer.ToPeerInfo();
            foreach (var file in diff.Upserted)
            {
                dropped += Enqueue(new IndexEvent { Peer = peer, Change = IndexEvent.Types.Change.Added, File = file, OccurredAt = now });
            }
            foreach (var file in diff.Removed)
            {
                dropped += Enqueue(new IndexEvent
                {
                    Peer = peer,
                    Change = IndexEvent.Types.Change.Removed,
                    File = new SharedFile { Name = file.Name, Sha256 = file.Sha256 },
                    OccurredAt = now,
                });
            }
        }
        if (dropped > 0)
        {
            Log.EventsDropped(_logger, dropped, _options.MaxPendingEvents);
        }
        _work.Release();
    }

    private int Enqueue(IndexEvent indexEvent)
    {
        _pending.AddLast(indexEvent);
        if (_pending.Count <= _options.MaxPendingEvents)
        {
            return 0;
        }
        _pending.RemoveFirst();
        return 1;
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _work.Dispose();
        base.Dispose();
    }
}
