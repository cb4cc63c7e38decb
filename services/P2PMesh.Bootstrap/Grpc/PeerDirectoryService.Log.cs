namespace P2PMesh.Bootstrap.Grpc;

public sealed partial class PeerDirectoryService
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 30, Level = LogLevel.Warning, EventName = "LoginRefused", Message = "Refused the login of peer {PeerId} from {Caller}: wrong or missing credential, or no secret for this id.")]
        public static partial void LoginRefused(ILogger logger, string peerId, string caller);
    }
}
