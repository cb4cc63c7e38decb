using Microsoft.Extensions.Logging;
using Grpc.Core;

namespace P2PMesh.Core.Peers;

public sealed partial class MeshMaintainer
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 100, Level = LogLevel.Information, EventName = "Linked", Message = "Linked to neighbour {PeerId} at {Address}.")]
        public static partial void Linked(ILogger logger, string peerId, string address);

        [LoggerMessage(EventId = 101, Level = LogLevel.Debug, EventName = "LinkRefused", Message = "Link to {Address} failed: {StatusCode}.")]
        public static partial void LinkRefused(ILogger logger, string address, StatusCode statusCode);

        [LoggerMessage(EventId = 102, Level = LogLevel.Warning, EventName = "NeighbourDead", Message = "Dropped neighbour {PeerId}: {MissedPings} pings missed (last: {StatusCode}).")]
        public static partial void NeighbourDead(ILogger logger, string peerId, int missedPings, StatusCode statusCode);

        [LoggerMessage(EventId = 103, Level = LogLevel.Information, EventName = "OneSidedLinkDropped", Message = "Dropped neighbour {PeerId}: it no longer lists this peer and refused to relink ({StatusCode}).")]
        public static partial void OneSidedLinkDropped(ILogger logger, string peerId, StatusCode statusCode);

        [LoggerMessage(EventId = 104, Level = LogLevel.Debug, EventName = "BootstrapUnreachable", Message = "Bootstrap {Address} unreachable: {StatusCode}; relying on neighbours and DNS seeds.")]
        public static partial void BootstrapUnreachable(ILogger logger, string address, StatusCode statusCode);

        [LoggerMessage(EventId = 105, Level = LogLevel.Debug, EventName = "DnsSeedFailed", Message = "DNS seed {Host} did not resolve: {Error}.")]
        public static partial void DnsSeedFailed(ILogger logger, string host, string error);

        [LoggerMessage(EventId = 106, Level = LogLevel.Error, EventName = "MaintenanceFailed", Message = "Neighbour maintenance round failed.")]
        public static partial void MaintenanceFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 107, Level = LogLevel.Information, EventName = "Left", Message = "Peer {PeerId} left the mesh.")]
        public static partial void Left(ILogger logger, string peerId);
    }
}
