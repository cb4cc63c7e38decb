using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using P2PMesh.Contracts;
using P2PMesh.Core.Content;
using P2PMesh.Core.Transfers;
using P2PMesh.PClientApi.Extensions;
using P2PMesh.PClientApi.Mesh;
using P2PMesh.PClientApi.Contracts;

namespace P2PMesh.PClientApi.Apis;

/// <summary>
/// <c>POST /api/uploads?name=&amp;sha256=&amp;to=</c>: streams the request body (application/octet-stream,
/// with Content-Length) into a peer's share via its <c>Upload</c> RPC. <c>to</c> is a peer id among this
/// peer and its neighbours, or a PServer <c>host:port</c>; default this peer. The body streams through (one
/// <see cref="PServerClient.UploadPartBytes"/> part in memory at a time) up to <c>Transfers:MaxUploadBytes</c>
/// (<see cref="TransferOptions.MaxUploadBytes"/>, the same key as the PServer's, default 64 GiB): this request's
/// body limit is set to it (instead of Kestrel's 30,000,000 bytes), and a larger Content-Length gets 413
/// problem details naming the limit before the body is read, so a client that sent <c>Expect: 100-continue</c>
/// never sends it. A PServer refusal (its gRPC status as <see cref="RpcExceptionHandler.ProblemFor"/> problem
/// details, e.g. RESOURCE_EXHAUSTED → 413) is answered as soon as it comes, even while the body is still coming; Kestrel
/// then drains the rest of the body for at most 5 s, so the answer reaches a client still sending (docs/architecture.md,
/// PClient-API).
/// </summary>
public static class UploadsApi
{
    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapUploadsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/uploads", UploadAsync)
            .WithName("Upload")
            .WithSummary("Store a file in a peer's share (body: the bytes; sha256: their SHA-256)")
            .Accepts<Stream>("application/octet-stream")
            .DisableAntiforgery();
        return app;
    }

    private static async Task<Results<Created<UploadResponse>, ValidationProblem, ProblemHttpResult>> UploadAsync(
        HttpRequest request, string? name, string? sha256, string? to, PServerClient mesh, KnownPeers known, IOptions<TransferOptions> transfers, CancellationToken cancellationToken)
    {
        var limit = transfers.Value.MaxUploadBytes;
        if (request.ContentLength > limit)
        {
            return UploadTooLarge.Problem(request.ContentLength.Value, limit);
        }
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            // Kestrel also cuts a body that turns out longer (BadHttpRequestException 413, see BadRequestExceptionHandler).
            bodyLimit.MaxRequestBodySize = limit;
        }
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(name))
        {
            errors["name"] = ["The file name to store is required."];
        }
        if (!ContentHash.IsSha256Hex(sha256))
        {
            errors["sha256"] = ["The body's SHA-256 (64 hex digits) is required."];
        }
        if (request.ContentLength is null)
        {
            errors["Content-Length"] = ["The body's length must be given."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        PeerAddress target;
        if (string.IsNullOrEmpty(to))
        {
            target = mesh.LocalPServer;
        }
        else if (!PeerAddress.TryParse(to, out target, out _))
        {
            var byId = await mesh.FindNeighbourAsync(to, cancellationToken);
            if (byId is null)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown peer",
                    detail: $"'{to}' is neither this peer, one of its neighbours, nor a host:port.");
            }
            target = byId.Value;
        }
        else if ((await known.UnknownAsync([target], mesh, cancellationToken)).Count > 0)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not a known peer",
                detail: $"{target} is neither this peer, one of its neighbours, nor a holder a recent search found; this API dials only peers of the mesh.");
        }
        UploadResponse result;
        try
        {
            result = await mesh.UploadAsync(target, name!, sha256!, request.ContentLength!.Value, request.Body, cancellationToken);
        }
        catch (RpcException refused)
        {
            // The PServer refused (possibly while the body was still coming: PServerClient.UploadAsync stops reading
            // it then). The answer goes out now, whole; Kestrel then drains the rest of the body (for at most 5 s)
            // before it reuses or closes the connection. The connection is not closed at once: a client such as
            // HttpClient reads the answer only after it has sent its body, and a close with unread body bytes is a
            // TCP reset that would lose the answer on its way (seen as "Error while copying content to a stream").
            return TypedResults.Problem(RpcExceptionHandler.ProblemFor(refused));
        }
        return TypedResults.Created($"/api/files/{Uri.EscapeDataString(result.File.Name)}", result);
    }
}
