using Microsoft.Extensions.Logging;

namespace P2PMesh.Core.Bus;

public sealed partial class MomSearchResponder
{
    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, EventId = 521, EventName = "MomSearchSubscribeFailed",
            Message = "Could not subscribe to mom searches on {Broker} ({Reason}); retrying.")]
        public static partial void SubscribeFailed(ILogger logger, string broker, string reason);

        [LoggerMessage(Level = LogLevel.Warning, EventId = 522, EventName = "MomSearchAnswerFailed", Message = "Could not answer a mom search: {Reason}.")]
        public static partial void AnswerFailed(ILogger logger, string reason);
    }
}
