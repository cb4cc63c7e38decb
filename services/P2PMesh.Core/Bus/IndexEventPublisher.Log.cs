using Microsoft.Extensions.Logging;

namespace P2PMesh.Core.Bus;

public sealed partial class IndexEventPublisher
{
    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, EventId = 511, EventName = "IndexEventPublishFailed",
            Message = "Could not publish index events to {Broker} ({Reason}); {Pending} kept, retrying.")]
        public static partial void PublishFailed(ILogger logger, int pending, string broker, string reason);

        [LoggerMessage(Level = LogLevel.Warning, EventId = 512, EventName = "IndexEventsDropped",
            Message = "Dropped the {Dropped} oldest unpublished index events: more than Mom:MaxPendingEvents ({MaxPending}) are waiting for the broker.")]
        public static partial void EventsDropped(ILogger logger, int dropped, int maxPending);
    }
}
