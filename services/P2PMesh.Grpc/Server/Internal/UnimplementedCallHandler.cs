using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace P2PMesh.Grpc.Server.Internal;

/// <summary>
/// Answers calls to methods this server does not have with UNIMPLEMENTED (Trailers-Only), as
/// statuscodes.md asks for an unknown service or method.
/// </summary>
internal static class UnimplementedCallHandler
{
    public static Task HandleAsync(HttpContext httpContext, ILogger logger, string detail)
    {
        if (!TrailersOnlyResponse.TryRejectNonGrpcRequest(httpContext, logger))
        {
            TrailersOnlyResponse.Apply(httpContext.Response, new Status(StatusCode.Unimplemented, detail));
        }
        return Task.CompletedTask;
    }
}
