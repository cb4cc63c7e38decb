using Microsoft.Extensions.Logging;

namespace P2PMesh.Core.Transfers.Download.Internal;

internal sealed partial class DownloadRun
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 450, Level = LogLevel.Information, EventName = "DownloadManifestAccepted", Message = "Download {JobId}: manifest of {Sha256} from {Source} ({Size} bytes in chunks of {ChunkSize}).")]
        public static partial void ManifestAccepted(ILogger logger, Guid jobId, string sha256, string source, long size, int chunkSize);

        [LoggerMessage(EventId = 451, Level = LogLevel.Warning, EventName = "DownloadSourceDropped", Message = "Download {JobId}: dropped source {Source}: {Reason}.")]
        public static partial void SourceDropped(ILogger logger, Guid jobId, string source, string reason);

        [LoggerMessage(EventId = 452, Level = LogLevel.Information, EventName = "DownloadSourceReinstated", Message = "Download {JobId}: source {Source} is back in use; it was dropped for disagreeing with a manifest that proved dishonest.")]
        public static partial void SourceReinstated(ILogger logger, Guid jobId, string source);

        [LoggerMessage(EventId = 453, Level = LogLevel.Information, EventName = "DownloadResumed", Message = "Download {JobId}: {Verified} of {Count} chunks of {Sha256} already on disk and verified; {Rejected} recorded ones failed verification and will be fetched again.")]
        public static partial void Resumed(ILogger logger, Guid jobId, string sha256, int verified, int rejected, int count);

        [LoggerMessage(EventId = 454, Level = LogLevel.Warning, EventName = "DownloadStateIgnored", Message = "Download {JobId}: ignoring the state file {Path}: {Reason}.")]
        public static partial void StateIgnored(ILogger logger, Guid jobId, string path, string reason);

        [LoggerMessage(EventId = 455, Level = LogLevel.Warning, EventName = "DownloadStateSaveFailed", Message = "Download {JobId}: could not save the state file {Path}.")]
        public static partial void StateSaveFailed(ILogger logger, Guid jobId, string path, Exception exception);

        [LoggerMessage(EventId = 456, Level = LogLevel.Information, EventName = "DownloadCompleted", Message = "Download {JobId}: {Sha256} stored as {Name} ({Size} bytes, {Fetched} fetched).")]
        public static partial void Completed(ILogger logger, Guid jobId, string sha256, string name, long size, long fetched);

        [LoggerMessage(EventId = 457, Level = LogLevel.Information, EventName = "DownloadAlreadyShared", Message = "Download {JobId}: {Sha256} is already shared as {Name}.")]
        public static partial void AlreadyShared(ILogger logger, Guid jobId, string sha256, string name);

        [LoggerMessage(EventId = 458, Level = LogLevel.Warning, EventName = "DownloadFailed", Message = "Download {JobId} of {Sha256} failed: {Error}")]
        public static partial void Failed(ILogger logger, Guid jobId, string sha256, string error, Exception? exception);

        [LoggerMessage(EventId = 459, Level = LogLevel.Information, EventName = "DownloadCancelled", Message = "Download {JobId} of {Sha256} cancelled; {Chunks} completed chunks recorded for resuming (-1: none).")]
        public static partial void Cancelled(ILogger logger, Guid jobId, string sha256, int chunks);

        [LoggerMessage(EventId = 460, Level = LogLevel.Warning, EventName = "DownloadRescanFailed", Message = "Download {JobId}: {Name} is in the share but re-indexing failed; the index service will pick it up.")]
        public static partial void RescanFailed(ILogger logger, Guid jobId, string name, Exception exception);
    }
}
