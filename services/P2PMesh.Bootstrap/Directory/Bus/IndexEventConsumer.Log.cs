namespace P2PMesh.Bootstrap.Directory.Bus;

public sealed partial class IndexEventConsumer
{
    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, EventId = 501, EventName = "IndexEventsSubscribeFailed",
            Message = "Could not consume index events from {Broker} ({Reason}); retrying.")]
        public static partial void SubscribeFailed(ILogger logger, string broker, string reason);

        [LoggerMessage(Level = LogLevel.Warning, EventId = 502, EventName = "IndexEventDeadLettered",
            Message = "Dead-lettered an index event (routing key {RoutingKey}): {Reason}.")]
        public static partial void DeadLettered(ILogger logger, string routingKey, string reason);

        [LoggerMessage(Level = LogLevel.Warning, EventId = 503, EventName = "IndexEventApplyFailed",
            Message = "Could not apply an index event (routing key {RoutingKey}): {Reason}; it will be delivered again.")]
        public static partial void ApplyFailed(ILogger logger, string routingKey, string reason);

        [LoggerMessage(Level = LogLevel.Debug, EventId = 504, EventName = "IndexEventIgnored",
            Message = "Ignored an index event of {PeerId} ({FileName}): the peer is not logged in.")]
        public static partial void Ignored(ILogger logger, string peerId, string fileName);

        [LoggerMessage(Level = LogLevel.Information, EventId = 505, EventName = "IndexEventAckLost",
            Message = "An index event (routing key {RoutingKey}) was not acknowledged ({Reason}); the broker will deliver it again.")]
        public static partial void AckLost(ILogger logger, string routingKey, string reason);

        [LoggerMessage(Level = LogLevel.Warning, EventId = 506, EventName = "IndexEventsNoSink",
            Message = "Mom:Uri is set but this host has no directory index (IIndexEventSink): index events are not consumed and wait in {Queue}.")]
        public static partial void NoSink(ILogger logger, string queue);
    }
}
