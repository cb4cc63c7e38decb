using Microsoft.Extensions.Logging;
using Grpc.Core;

namespace P2PMesh.Core.Search;

public sealed partial class FloodEngine
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 200, Level = LogLevel.Debug, EventName = "Duplicate", Message = "Query {QueryId} from {Sender} already seen.")]
        public static partial void Duplicate(ILogger logger, string queryId, string sender);

        [LoggerMessage(EventId = 201, Level = LogLevel.Debug, EventName = "Processed", Message = "Query {QueryId} at hops {Hops}, ttl {Ttl}: {Hits} hits, {Messages} messages in subtree.")]
        public static partial void Processed(ILogger logger, string queryId, uint hops, uint ttl, uint hits, uint messages);

        [LoggerMessage(EventId = 202, Level = LogLevel.Debug, EventName = "ForwardFailed", Message = "Forward to {PeerId} failed: {StatusCode} {Detail}.")]
        public static partial void ForwardFailed(ILogger logger, string peerId, StatusCode statusCode, string detail);
    }
}
