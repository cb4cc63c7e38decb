using P2PMesh.V1;

namespace P2PMesh.Bootstrap.Directory;

public sealed partial class DirectoryIndex
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 20, Level = LogLevel.Information, EventName = "DirectoryLoaded", Message = "Directory loaded {PeerCount} sessions and {FileCount} index entries from its database.")]
        public static partial void Loaded(ILogger logger, int peerCount, int fileCount);

        [LoggerMessage(EventId = 21, Level = LogLevel.Information, EventName = "PeerLoggedIn", Message = "Peer {PeerId} at {Address} logged in (replacing a session: {Replaced}).")]
        public static partial void LoggedIn(ILogger logger, string peerId, string address, bool replaced);

        [LoggerMessage(EventId = 22, Level = LogLevel.Information, EventName = "PeerIndexRemoved", Message = "Peer {PeerId}'s session and index entries were removed.")]
        public static partial void Removed(ILogger logger, string peerId);

        [LoggerMessage(EventId = 23, Level = LogLevel.Information, EventName = "IndexOutOfSync", Message = "Peer {PeerId}'s digest differs after a {Kind} update ({FileCount} files held); it will send its full index.")]
        public static partial void OutOfSync(ILogger logger, string peerId, SendIndexRequest.Types.Kind kind, int fileCount);

        [LoggerMessage(EventId = 24, Level = LogLevel.Warning, EventName = "IndexEventOverLimit", Message = "Ignored an index event adding {Name} for peer {PeerId}: it holds the most files allowed.")]
        public static partial void EventOverLimit(ILogger logger, string peerId, string name);
    }
}
