using System.Threading.Channels;
using P2PMesh.Contracts;
using P2PMesh.Core.Content;
using P2PMesh.V1;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace P2PMesh.Core.Bus;

/// <summary>
/// One watch of the mesh's new files (docs/architecture.md, Message bus): an exclusive server-named queue bound to
/// <see cref="MomTopology.IndexExchange"/> with <c>#.added</c>, on its own channel, delivering the ADDED
/// <see cref="IndexEvent"/>s whose file name matches a <see cref="SearchPattern"/>, from the moment
/// <see cref="StartAsync"/> returns until disposed (which deletes the queue). Events arriving faster than they are read
/// are buffered up to 1,024; beyond that the oldest are dropped.
/// </summary>
public sealed class IndexWatch : IAsyncDisposable
{
    private const int Buffer = 1024;
    private readonly IChannel _channel;
    private readonly Channel<IndexEvent> _events = Channel.CreateBounded<IndexEvent>(new BoundedChannelOptions(Buffer)
    {
        FullMode = BoundedChannelFullMode.DropOldest,
        SingleReader = true,
        SingleWriter = true,
    });

    private IndexWatch(IChannel channel) => _channel = channel;

    /// <summary>Subscribes; events published after this returns are delivered.</summary>
    /// <param name="connection">The process's broker connection.</param>
    /// <param name="pattern">Which files: a glob on the file name or <c>sha256:</c>, as in search.</param>
    /// <param name="cancellationToken">Cancels the subscription.</param>
    /// <exception cref="Grpc.Core.RpcException">UNAVAILABLE: the broker cannot be reached.</exception>
    public static async Task<IndexWatch> StartAsync(MomConnection connection, SearchPattern pattern, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(pattern);
        var channel = await connection.CreateChannelOrUnavailableAsync(null, cancellationToken).ConfigureAwait(false);
        var watch = new IndexWatch(channel);
        try
        {
            await MomTopology.DeclareIndexExchangeAsync(channel, cancellationToken).ConfigureAwait(false);
            var queue = await MomTopology.DeclarePrivateQueueAsync(channel, MomTopology.IndexExchange, MomTopology.AddedBindingKey, cancellationToken)
                .ConfigureAwait(false);
            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += (_, delivery) =>
            {
                if (MomTopology.TryParse(IndexEvent.Parser, delivery.BasicProperties.Type, delivery.Body) is { Change: IndexEvent.Types.Change.Added, File: { } file } added
                    && pattern.Matches(new ContentFile(file.Name, (long)file.Size, file.Sha256, (int)file.ChunkSize, [], default)))
                {
                    watch._events.Writer.TryWrite(added);
                }
                return Task.CompletedTask;
            };
            await channel.BasicConsumeAsync(queue, autoAck: true, consumer, cancellationToken).ConfigureAwait(false);
            return watch;
        }
        catch
        {
            await watch.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The matching ADDED events, in arrival order, until <paramref name="cancellationToken"/> fires or the watch is disposed.</summary>
    public IAsyncEnumerable<IndexEvent> ReadAllAsync(CancellationToken cancellationToken) => _events.Reader.ReadAllAsync(cancellationToken);

    /// <summary>Waits until an event is available (<c>true</c>), or the watch ended (<c>false</c>).</summary>
    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken) => _events.Reader.WaitToReadAsync(cancellationToken);

    /// <summary>Takes an available event.</summary>
    public bool TryRead(out IndexEvent indexEvent) => _events.Reader.TryRead(out indexEvent!);

    /// <summary>Ends the watch: closes its channel, so the broker deletes its queue.</summary>
    public async ValueTask DisposeAsync()
    {
        _events.Writer.TryComplete();
        await MomChannels.CloseQuietlyAsync(_channel).ConfigureAwait(false);
    }
}
