using System.Globalization;
using Microsoft.AspNetCore.Http;
using P2PMesh.Grpc.Internal;

namespace P2PMesh.Grpc.Server.Internal;

/// <summary>
/// Responses that end a call before any message: Trailers-Only (PROTOCOL-HTTP2.md, Responses), and the
/// plain HTTP errors for requests that are not gRPC at all.
/// </summary>
internal static class TrailersOnlyResponse
{
    /// <summary>
    /// Puts the status (and <paramref name="trailers"/>) in the response headers, so the response is a
    /// single HEADERS frame with END_STREAM.
    /// </summary>
    public static void Apply(HttpResponse response, Status status, Metadata? trailers = null)
    {
        response.ContentType = GrpcProtocolConstants.ContentType;
        response.Headers[GrpcProtocolConstants.StatusTrailer] = ((int)status.StatusCode).ToString(CultureInfo.InvariantCulture);
        if (!string.IsNullOrEmpty(status.Detail))
        {
            response.Headers[GrpcProtocolConstants.MessageTrailer] = PercentEncoding.Encode(status.Detail);
        }
        if (trailers is not null)
        {
            foreach (var entry in trailers)
            {
                response.Headers.Append(entry.Key, MetadataHeaders.ToHeaderValue(entry));
            }
        }
    }

    /// <summary>
    /// Answers a request that cannot be a gRPC call: HTTP 426 for a protocol other than HTTP/2 and
    /// HTTP 415 for a content-type other than <c>application/grpc*</c> (PROTOCOL-HTTP2.md, Requests),
    /// with grpc-status INTERNAL so gRPC clients get a useful error too. Returns whether it answered.
    /// </summary>
    public static bool TryRejectNonGrpcRequest(HttpContext httpContext, Microsoft.Extensions.Logging.ILogger logger)
    {
        var request = httpContext.Request;
        var (httpStatus, reason) =
            !HttpProtocol.IsHttp2(request.Protocol) ? (StatusCodes.Status426UpgradeRequired, $"Request protocol '{request.Protocol}' is not supported; gRPC needs HTTP/2.")
            : !GrpcProtocolConstants.IsGrpcContentType(request.ContentType) ? (StatusCodes.Status415UnsupportedMediaType, $"Content-Type '{request.ContentType}' is not supported; gRPC needs application/grpc.")
            : (0, string.Empty);
        if (httpStatus == 0)
        {
            return false;
        }
        GrpcServerLog.RejectedRequest(logger, request.Path, httpStatus, reason);
        var response = httpContext.Response;
        response.StatusCode = httpStatus;
        response.Headers[GrpcProtocolConstants.StatusTrailer] = ((int)StatusCode.Internal).ToString(CultureInfo.InvariantCulture);
        response.Headers[GrpcProtocolConstants.MessageTrailer] = PercentEncoding.Encode(reason);
        return true;
    }
}
