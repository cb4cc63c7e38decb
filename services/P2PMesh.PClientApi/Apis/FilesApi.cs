using P2PMesh.PClientApi.Mesh;

namespace P2PMesh.PClientApi.Apis;

/// <summary><c>GET /api/files</c>: this peer's share.</summary>
public static class FilesApi
{
    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapFilesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/files", async (PServerClient mesh, CancellationToken cancellationToken) => TypedResults.Ok(await mesh.ListFilesAsync(cancellationToken)))
            .WithName("ListFiles")
            .WithSummary("The files this peer shares");
        return app;
    }
}
