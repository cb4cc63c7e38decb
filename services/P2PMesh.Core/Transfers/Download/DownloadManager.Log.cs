using Microsoft.Extensions.Logging;

namespace P2PMesh.Core.Transfers.Download;

public sealed partial class DownloadManager
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 449, Level = LogLevel.Information, EventName = "DownloadStarted", Message = "Download {JobId}: started {Sha256} from {SourceCount} sources.")]
        public static partial void Started(ILogger logger, Guid jobId, string sha256, int sourceCount);
    }
}
