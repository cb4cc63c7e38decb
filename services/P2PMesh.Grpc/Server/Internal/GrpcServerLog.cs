using Microsoft.Extensions.Logging;

namespace P2PMesh.Grpc.Server.Internal;

/// <summary>The server's log messages (event ids 1-99 are the gRPC server's).</summary>
internal static partial class GrpcServerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, EventName = "InvalidTimeout", Message = "Ignoring invalid grpc-timeout header '{Timeout}'.")]
    public static partial void InvalidTimeout(ILogger logger, string timeout);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, EventName = "DeadlineExceeded", Message = "Call {Method} exceeded its deadline.")]
    public static partial void DeadlineExceeded(ILogger logger, string method);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, EventName = "HandlerError", Message = "Handler of {Method} threw an exception.")]
    public static partial void HandlerError(ILogger logger, string method, Exception exception);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, EventName = "TrailersNotSupported", Message = "Call {Method}: the transport does not support trailers; the status could not be sent.")]
    public static partial void TrailersNotSupported(ILogger logger, string method);

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug, EventName = "RejectedRequest", Message = "Rejected {Path}: HTTP {HttpStatus}, {Reason}")]
    public static partial void RejectedRequest(ILogger logger, string path, int httpStatus, string reason);
}
