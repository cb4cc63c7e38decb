using P2PMesh.Testing.Bus;

namespace P2PMesh.Bus.Tests.Infrastructure;

/// <summary>
/// The tests that share one real broker (started once, stopped after the last of them, even when they fail). They run
/// one after the other: one of them restarts the broker. Each test uses peer ids and file names of its own, so what
/// earlier tests left in the broker's durable queues never matches its assertions.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrokerCollection : ICollectionFixture<RabbitMqBroker>
{
    public const string Name = "RabbitMQ broker";
}
