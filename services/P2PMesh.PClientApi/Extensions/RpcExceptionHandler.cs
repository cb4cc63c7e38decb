using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Grpc.Core;

namespace P2PMesh.PClientApi.Extensions;

/// <summary>
/// Turns a failed gRPC call to a PServer into RFC 9457 problem details with the HTTP status that
/// means the same (e.g. INVALID_ARGUMENT → 400, NOT_FOUND → 404, UNAVAILABLE → 503), keeping the gRPC
/// status in the <c>grpcStatus</c> extension.
/// </summary>
public sealed class RpcExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    /// <summary>The HTTP status for a gRPC status code.</summary>
    public static int HttpStatusFor(StatusCode code) => code switch
    {
        StatusCode.InvalidArgument or StatusCode.OutOfRange or StatusCode.FailedPrecondition => StatusCodes.Status400BadRequest,
        StatusCode.NotFound or StatusCode.Unimplemented => StatusCodes.Status404NotFound,
        StatusCode.AlreadyExists or StatusCode.Aborted => StatusCodes.Status409Conflict,
        StatusCode.ResourceExhausted => StatusCodes.Status413PayloadTooLarge,
        StatusCode.DataLoss => StatusCodes.Status422UnprocessableEntity,
        StatusCode.PermissionDenied => StatusCodes.Status403Forbidden,
        StatusCode.Unauthenticated => StatusCodes.Status401Unauthorized,
        StatusCode.Unavailable => StatusCodes.Status503ServiceUnavailable,
        StatusCode.DeadlineExceeded => StatusCodes.Status504GatewayTimeout,
        StatusCode.Cancelled => 499,
        _ => StatusCodes.Status502BadGateway,
    };

    /// <summary>
    /// The problem for <paramref name="rpc"/>: status <see cref="HttpStatusFor"/>, title "The mesh answered {code}",
    /// detail the gRPC status detail, and the code's name in the <c>grpcStatus</c> extension.
    /// </summary>
    public static ProblemDetails ProblemFor(RpcException rpc)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        return new ProblemDetails
        {
            Status = HttpStatusFor(rpc.StatusCode),
            Title = $"The mesh answered {rpc.StatusCode}",
            Detail = rpc.Status.Detail,
            Extensions = { ["grpcStatus"] = rpc.StatusCode.ToString() },
        };
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not RpcException rpc)
        {
            return false;
        }
        var problem = ProblemFor(rpc);
        httpContext.Response.StatusCode = problem.Status!.Value;
        var written = await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = problem,
        }).ConfigureAwait(false);
        if (written)
        {
            // Sent now, before Kestrel drains (or gives up on) a request body the refusal left unread (an upload the
            // PServer refused while it was coming): the client reads the answer while it is still sending.
            await httpContext.Response.CompleteAsync().ConfigureAwait(false);
        }
        return written;
    }
}
