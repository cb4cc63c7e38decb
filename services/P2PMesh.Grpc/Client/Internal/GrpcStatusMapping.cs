using System.Net;

namespace P2PMesh.Grpc.Client.Internal;

/// <summary>
/// How a client turns transport outcomes into gRPC status: HTTP status codes per grpc/grpc
/// doc/http-grpc-status-mapping.md, and HTTP/2 RST_STREAM error codes per PROTOCOL-HTTP2.md, Errors.
/// </summary>
internal static class GrpcStatusMapping
{
    /// <summary>The status for a response whose HTTP status is not 200.</summary>
    public static StatusCode FromHttpStatus(HttpStatusCode status) => (int)status switch
    {
        400 => StatusCode.Internal,
        401 => StatusCode.Unauthenticated,
        403 => StatusCode.PermissionDenied,
        404 => StatusCode.Unimplemented,
        429 or 502 or 503 or 504 => StatusCode.Unavailable,
        _ => StatusCode.Unknown,
    };

    /// <summary>The status for a stream the server reset with <paramref name="errorCode"/>.</summary>
    public static StatusCode FromHttp2ErrorCode(long errorCode) => errorCode switch
    {
        0x7 => StatusCode.Unavailable,          // REFUSED_STREAM
        0x8 => StatusCode.Cancelled,            // CANCEL
        0xb => StatusCode.ResourceExhausted,    // ENHANCE_YOUR_CALM
        0xc => StatusCode.PermissionDenied,     // INADEQUATE_SECURITY
        _ => StatusCode.Internal,               // NO_ERROR, PROTOCOL_ERROR, INTERNAL_ERROR, FLOW_CONTROL_ERROR, ...
    };

    /// <summary>The status for an exception thrown by the HTTP stack while the call ran.</summary>
    public static Status FromException(Exception exception, bool deadlineExceeded, bool cancelledByCaller)
    {
        if (exception is RpcException rpc)
        {
            return rpc.Status;
        }
        if (deadlineExceeded)
        {
            return new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded");
        }
        if (cancelledByCaller || exception is OperationCanceledException)
        {
            return new Status(StatusCode.Cancelled, "Call canceled by the client.");
        }
        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is HttpProtocolException protocol)
            {
                return new Status(FromHttp2ErrorCode(protocol.ErrorCode), $"Stream reset by the server (HTTP/2 error code {protocol.ErrorCode}): {protocol.Message}");
            }
        }
        if (exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError } request)
        {
            return new Status(StatusCode.Unavailable, $"Error connecting to the server: {request.Message}");
        }
        if (exception is HttpRequestException or IOException)
        {
            return new Status(StatusCode.Unavailable, $"Error talking to the server: {exception.Message}");
        }
        return new Status(StatusCode.Internal, $"Error in the call: {exception.GetType().Name}: {exception.Message}");
    }
}
