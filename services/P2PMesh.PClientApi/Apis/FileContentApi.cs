using Microsoft.AspNetCore.Http.HttpResults;
using P2PMesh.Core.Content;

namespace P2PMesh.PClientApi.Apis;

/// <summary>
/// <c>GET /api/files/{sha256}/content</c>: a file of this peer's share, as bytes (what <c>p2pmesh get --out</c>
/// saves). The index is rescanned once if the hash is not known yet (e.g. a file the PServer indexed since).
/// </summary>
public static class FileContentApi
{
    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapFileContentApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/files/{sha256}/content", GetAsync)
            .WithName("GetFileContent")
            .WithSummary("The bytes of a file in this peer's share")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream");
        return app;
    }

    private static async Task<Results<FileStreamHttpResult, ValidationProblem, ProblemHttpResult>> GetAsync(
        string sha256, ContentIndex index, CancellationToken cancellationToken)
    {
        if (!ContentHash.IsSha256Hex(sha256))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["sha256"] = ["64 hex digits expected."] });
        }
        var file = await index.FindBySha256Async(sha256, cancellationToken);
        if (file is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not in this peer's share",
                detail: $"No file with sha256 {sha256.ToLowerInvariant()} here; download it first (POST /api/downloads).");
        }
        try
        {
            return TypedResults.File(index.OpenRead(file), "application/octet-stream", Path.GetFileName(file.Name));
        }
        catch (FileNotFoundException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not in this peer's share", detail: "The file has gone.");
        }
    }
}
