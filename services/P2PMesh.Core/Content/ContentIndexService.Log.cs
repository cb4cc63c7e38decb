using Microsoft.Extensions.Logging;

namespace P2PMesh.Core.Content;

public sealed partial class ContentIndexService
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 320, Level = LogLevel.Error, EventName = "RescanFailed", Message = "Scanning the share {Path} failed; will try again.")]
        public static partial void RescanFailed(ILogger logger, string path, Exception exception);

        [LoggerMessage(EventId = 321, Level = LogLevel.Warning, EventName = "WatcherUnavailable", Message = "Cannot watch the share {Path} for changes; rescanning every {RescanInterval} only.")]
        public static partial void WatcherUnavailable(ILogger logger, string path, TimeSpan rescanInterval, Exception exception);

        [LoggerMessage(EventId = 322, Level = LogLevel.Warning, EventName = "WatcherError", Message = "The share watcher failed or overflowed; rescanning.")]
        public static partial void WatcherError(ILogger logger, Exception exception);
    }
}
