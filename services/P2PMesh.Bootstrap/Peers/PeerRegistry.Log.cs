namespace P2PMesh.Bootstrap.Peers;

public sealed partial class PeerRegistry
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, EventName = "PeerJoined", Message = "Peer {PeerId} joined from {Address}; sent {SampleCount} neighbours.")]
        public static partial void PeerJoined(ILogger logger, string peerId, string address, int sampleCount);

        [LoggerMessage(EventId = 2, Level = LogLevel.Debug, EventName = "PeerRejoined", Message = "Peer {PeerId} joined again; sent {SampleCount} neighbours.")]
        public static partial void PeerRejoined(ILogger logger, string peerId, int sampleCount);

        [LoggerMessage(EventId = 3, Level = LogLevel.Information, EventName = "PeerAddressChanged", Message = "Peer {PeerId} moved from {PreviousAddress} to {Address}.")]
        public static partial void PeerAddressChanged(ILogger logger, string peerId, string previousAddress, string address);

        [LoggerMessage(EventId = 4, Level = LogLevel.Information, EventName = "PeerLeft", Message = "Peer {PeerId} left.")]
        public static partial void PeerLeft(ILogger logger, string peerId);

        [LoggerMessage(EventId = 5, Level = LogLevel.Information, EventName = "PeerExpired", Message = "Peer {PeerId} at {Address} expired: not heard from for {Silence}.")]
        public static partial void PeerExpired(ILogger logger, string peerId, string address, TimeSpan silence);

        [LoggerMessage(EventId = 6, Level = LogLevel.Debug, EventName = "UnknownPeerHeartbeat", Message = "Heartbeat from unknown peer {PeerId}; it must join again.")]
        public static partial void UnknownPeerHeartbeat(ILogger logger, string peerId);

        [LoggerMessage(EventId = 7, Level = LogLevel.Information, EventName = "PeerRestored", Message = "Peer {PeerId} at {Address} restored from the directory's database; it has one expiry interval to heartbeat.")]
        public static partial void PeerRestored(ILogger logger, string peerId, string address);
    }
}
