using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace P2PMesh.Core.Bus;

/// <summary>
/// The process's one connection to the broker (docs/architecture.md, Message bus), opened on first use and kept:
/// RabbitMQ.Client's automatic recovery (<c>AutomaticRecoveryEnabled</c>, <c>TopologyRecoveryEnabled</c>) reconnects
/// it after the broker goes away and re-declares the channels' server-named queues, bindings and consumers. Each user
/// opens its own channels on it. A DI singleton, thread-safe, disposed with the host.
/// </summary>
public sealed partial class MomConnection : IAsyncDisposable
{
    private readonly MomOptions _options;
    private readonly string _clientName;
    private readonly ILogger<MomConnection> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _connection;
    private bool _disposed;

    /// <param name="options">The bus settings (<see cref="MomOptions.Uri"/> must be set).</param>
    /// <param name="clientName">The connection's name in the broker (<c>ClientProvidedName</c>): the peer id, or the service's name.</param>
    /// <param name="logger">The logger.</param>
    public MomConnection(IOptions<MomOptions> options, string clientName, ILogger<MomConnection> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(clientName);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options.Value;
        if (!_options.IsEnabled)
        {
            throw new InvalidOperationException(MomOptions.NotConfiguredMessage);
        }
        _clientName = clientName;
        _logger = logger;
    }

    /// <summary>The broker's URI without its password.</summary>
    public string DisplayUri => MomOptions.Redact(_options.Uri!);

    /// <summary>Whether the connection is open now (false before the first connect and while it is being recovered).</summary>
    public bool IsOpen => _connection is { IsOpen: true };

    /// <summary>How long to wait between attempts to reach the broker (<see cref="MomOptions.RecoveryInterval"/>).</summary>
    public TimeSpan RetryInterval => _options.RecoveryInterval;

    /// <summary>Raised when automatic recovery changed a server-named queue's name (before, after).</summary>
    public event Func<string, string, Task>? QueueRenamed;

    /// <summary>The connection, opened now if it never was. One attempt: the caller retries.</summary>
    /// <exception cref="RabbitMQ.Client.Exceptions.BrokerUnreachableException">The broker cannot be reached.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public async Task<IConnection> GetAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_connection is { } open)
        {
            return open;
        }
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_connection is { } raced)
            {
                return raced;
            }
            var factory = new ConnectionFactory
            {
                Uri = new Uri(_options.Uri!),
                ClientProvidedName = _clientName,
                AutomaticRecoveryEnabled = true,
                TopologyRecoveryEnabled = true,
                NetworkRecoveryInterval = _options.RecoveryInterval,
                RequestedConnectionTimeout = TimeSpan.FromSeconds(10),
            };
            var connection = await factory.CreateConnectionAsync(cancellationToken).ConfigureAwait(false);
            connection.ConnectionShutdownAsync += OnShutdownAsync;
            connection.RecoverySucceededAsync += OnRecoveredAsync;
            connection.QueueNameChangedAfterRecoveryAsync += OnQueueRenamedAsync;
            Log.Connected(_logger, DisplayUri, _clientName);
            _connection = connection;
            return connection;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Opens a channel, for a caller that answers a request now (mom search, watch): any failure to reach the broker
    /// becomes an <see cref="RpcException"/> with UNAVAILABLE naming the broker.
    /// </summary>
    /// <exception cref="RpcException">UNAVAILABLE: the broker cannot be reached.</exception>
    public async Task<IChannel> CreateChannelOrUnavailableAsync(CreateChannelOptions? options, CancellationToken cancellationToken)
    {
        try
        {
            var connection = await GetAsync(cancellationToken).ConfigureAwait(false);
            return await connection.CreateChannelAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsBrokerFailure(e))
        {
            throw Unavailable(e);
        }
    }

    /// <summary>Whether <paramref name="exception"/> says the broker cannot be reached or the connection (or channel) is gone.</summary>
    public static bool IsBrokerFailure(Exception exception) =>
        exception is RabbitMQ.Client.Exceptions.BrokerUnreachableException or RabbitMQ.Client.Exceptions.AlreadyClosedException
            or RabbitMQ.Client.Exceptions.OperationInterruptedException or IOException or System.Net.Sockets.SocketException;

    /// <summary>The UNAVAILABLE status a request gets when the broker is not there, naming it (without its password).</summary>
    public RpcException Unavailable(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new RpcException(new Status(StatusCode.Unavailable, $"The message broker {DisplayUri} cannot be reached: {exception.Message}"));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        if (_connection is { } connection)
        {
            try
            {
                await connection.CloseAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is RabbitMQ.Client.Exceptions.AlreadyClosedException or IOException or OperationCanceledException)
            {
            }
            connection.Dispose();
        }
        _gate.Dispose();
    }

    private Task OnShutdownAsync(object sender, ShutdownEventArgs e)
    {
        if (e.Initiator != ShutdownInitiator.Application)
        {
            Log.Lost(_logger, DisplayUri, e.ReplyText);
        }
        return Task.CompletedTask;
    }

    private Task OnRecoveredAsync(object sender, AsyncEventArgs e)
    {
        Log.Recovered(_logger, DisplayUri);
        return Task.CompletedTask;
    }

    private Task OnQueueRenamedAsync(object sender, QueueNameChangedAfterRecoveryEventArgs e) =>
        QueueRenamed?.Invoke(e.NameBefore, e.NameAfter) ?? Task.CompletedTask;
}
