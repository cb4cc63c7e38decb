using Microsoft.Extensions.Logging;

namespace P2PMesh.Core.Content;

public sealed partial class ContentIndex
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 300, EventName = "ScanCompleted", Message = "Indexed {Count} files ({TotalBytes} bytes): {Hashed} hashed, {Removed} removed, in {ElapsedMilliseconds} ms.")]
        public static partial void ScanCompleted(ILogger logger, LogLevel level, int count, long totalBytes, int hashed, int removed, long elapsedMilliseconds);

        [LoggerMessage(EventId = 301, Level = LogLevel.Debug, EventName = "HashCacheLoaded", Message = "Loaded {Count} cached hashes from {Path}.")]
        public static partial void CacheLoaded(ILogger logger, int count, string path);

        [LoggerMessage(EventId = 302, Level = LogLevel.Warning, EventName = "HashCacheIgnored", Message = "Ignoring the hash cache {Path}: {Reason}. Files will be hashed again.")]
        public static partial void CacheIgnored(ILogger logger, string path, string reason);

        [LoggerMessage(EventId = 303, Level = LogLevel.Warning, EventName = "HashCacheSaveFailed", Message = "Could not save the hash cache {Path}; the next start will hash again.")]
        public static partial void CacheSaveFailed(ILogger logger, string path, Exception exception);

        [LoggerMessage(EventId = 304, Level = LogLevel.Debug, EventName = "FileSkipped", Message = "Skipped {Name}: {Reason}.")]
        public static partial void Skipped(ILogger logger, string name, string reason);

        [LoggerMessage(EventId = 305, Level = LogLevel.Debug, EventName = "LinkOutsideShare", Message = "Skipped {Name}: a link that leads outside the share (or into its state directory).")]
        public static partial void LinkOutsideShare(ILogger logger, string name);

        [LoggerMessage(EventId = 306, Level = LogLevel.Debug, EventName = "FileUnreadable", Message = "Skipped {Name}: it vanished or cannot be read.")]
        public static partial void FileUnreadable(ILogger logger, string name, Exception exception);

        [LoggerMessage(EventId = 307, Level = LogLevel.Debug, EventName = "DirectoryUnreadable", Message = "Skipped directory '{Name}': it vanished or cannot be read.")]
        public static partial void DirectoryUnreadable(ILogger logger, string name, Exception exception);

        [LoggerMessage(EventId = 308, Level = LogLevel.Debug, EventName = "ChangedWhileHashing", Message = "Skipped {Name}: it changed while being hashed; the next scan will pick it up.")]
        public static partial void ChangedWhileHashing(ILogger logger, string name);

        [LoggerMessage(EventId = 309, Level = LogLevel.Information, EventName = "ShareCreated", Message = "Created the share directory {Path}.")]
        public static partial void ShareCreated(ILogger logger, string path);

        [LoggerMessage(EventId = 310, Level = LogLevel.Error, EventName = "ChangedHandlerFailed", Message = "A ContentIndex.Changed handler failed.")]
        public static partial void ChangedHandlerFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 311, Level = LogLevel.Debug, EventName = "VerifiedNotRecorded", Message = "Not caching the verified hashes of {Name}: it changed since it was verified; the next scan will hash it.")]
        public static partial void VerifiedNotRecorded(ILogger logger, string name);
    }
}
