using Microsoft.Extensions.Logging;

namespace P2PMesh.Core.Search;

public sealed partial class OriginSearch
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 210, Level = LogLevel.Debug, EventName = "AutoFallingBack", Message = "AUTO search floods: {Reason}.")]
        public static partial void FallingBack(ILogger logger, string reason);
    }
}
