using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace P2PMesh.Core.Peers;

public sealed partial class DirectoryAgent
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 700, Level = LogLevel.Warning, EventName = "DirectoryNoSecret", Message = "No directory secret for peer {PeerId} (Directory:Secret or Directory:SecretsDirectory): not logging in to the directory; searches flood.")]
        public static partial void NoSecret(ILogger logger, string peerId);

        [LoggerMessage(EventId = 701, Level = LogLevel.Debug, EventName = "DirectoryNone", Message = "No directory address (Directory:Address or Neighbours:Bootstrap): not logging in to the directory.")]
        public static partial void NoDirectory(ILogger logger);

        [LoggerMessage(EventId = 702, Level = LogLevel.Information, EventName = "DirectoryLoggedIn", Message = "Logged in to the directory at {Address}.")]
        public static partial void LoggedIn(ILogger logger, string address);

        [LoggerMessage(EventId = 703, Level = LogLevel.Information, EventName = "DirectorySessionEnded", Message = "The directory at {Address} refused the session (login refused: {LoginRefused}); logging in again.")]
        public static partial void SessionEnded(ILogger logger, string address, bool loginRefused);

        [LoggerMessage(EventId = 704, Level = LogLevel.Debug, EventName = "DirectoryUnreachable", Message = "Directory {Address} unreachable: {StatusCode}; retrying with back-off, searches flood meanwhile.")]
        public static partial void DirectoryUnreachable(ILogger logger, string address, StatusCode statusCode);

        [LoggerMessage(EventId = 705, Level = LogLevel.Debug, EventName = "DirectorySentFull", Message = "Sent the full index ({FileCount} files) to the directory; in sync: {InSync}.")]
        public static partial void SentFull(ILogger logger, int fileCount, bool inSync);

        [LoggerMessage(EventId = 706, Level = LogLevel.Debug, EventName = "DirectorySentDelta", Message = "Sent an index delta ({Upserted} upserted, {Removed} removed) to the directory; in sync: {InSync}.")]
        public static partial void SentDelta(ILogger logger, int upserted, int removed, bool inSync);

        [LoggerMessage(EventId = 707, Level = LogLevel.Information, EventName = "DirectoryLoggedOut", Message = "Logged out of the directory at {Address}.")]
        public static partial void LoggedOut(ILogger logger, string address);
    }
}
