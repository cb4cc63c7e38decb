using P2PMesh.Cli.LocalMesh;
using Xunit;

namespace P2PMesh.Testing.Bus;

/// <summary>
/// A real RabbitMQ node for one test class (an xunit class fixture), on free loopback ports: the product's
/// <c>LocalBroker</c> (services/P2PMesh.Cli/LocalMesh/LocalBroker.cs, linked), started by <see cref="InitializeAsync"/>
/// and always stopped, with its epmd and its directory, by <see cref="DisposeAsync"/>, whatever the tests did.
/// Without rabbitmq-server the fixture fails (the tests fail, they are not skipped) with the way to install it.
/// </summary>
public sealed class RabbitMqBroker : IAsyncLifetime
{
    private LocalBroker? _broker;

    /// <summary>The broker's AMQP URI (<c>amqp://guest:guest@127.0.0.1:&lt;port&gt;/</c>).</summary>
    public Uri Uri => Broker.Uri;

    /// <summary>The configuration setting that points a host at this broker: <c>--Mom:Uri=…</c>.</summary>
    public string MomSetting => $"--Mom:Uri={Uri}";

    /// <summary>Whether the node is running.</summary>
    public bool IsRunning => Broker.IsRunning;

    private LocalBroker Broker => _broker ?? throw new InvalidOperationException("The broker fixture has not been started.");

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        if (LocalBroker.FindServer() is null)
        {
            throw new InvalidOperationException("These tests need a real RabbitMQ broker. " + LocalBroker.InstallHint);
        }
        _broker = LocalBroker.Create(new FreePorts());
        await _broker.StartAsync();
    }

    /// <summary>Stops the node gracefully (durable queues and persistent messages are kept).</summary>
    public Task StopAsync() => Broker.StopAsync();

    /// <summary>Starts the stopped node again on the same port with the same database; returns once it accepts AMQP.</summary>
    public Task StartAsync() => Broker.StartAsync();

    /// <summary><see cref="StopAsync"/> then <see cref="StartAsync"/>.</summary>
    public Task RestartAsync() => Broker.RestartAsync();

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
    }
}
