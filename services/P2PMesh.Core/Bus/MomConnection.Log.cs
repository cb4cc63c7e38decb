using Microsoft.Extensions.Logging;

namespace P2PMesh.Core.Bus;

public sealed partial class MomConnection
{
    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, EventId = 501, EventName = "MomConnected", Message = "Connected to the message broker {Broker} as {ClientName}.")]
        public static partial void Connected(ILogger logger, string broker, string clientName);

        [LoggerMessage(Level = LogLevel.Warning, EventId = 502, EventName = "MomConnectionLost", Message = "Lost the message broker {Broker} ({Reason}); reconnecting.")]
        public static partial void Lost(ILogger logger, string broker, string reason);

        [LoggerMessage(Level = LogLevel.Information, EventId = 503, EventName = "MomConnectionRecovered", Message = "Reconnected to the message broker {Broker}.")]
        public static partial void Recovered(ILogger logger, string broker);
    }
}
