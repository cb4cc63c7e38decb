using P2PMesh.PClientApi.Mesh;

namespace P2PMesh.PClientApi.Apis;

/// <summary><c>GET /api/peers</c>: this peer's neighbours and their health.</summary>
public static class PeersApi
{
    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapPeersApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/peers", async (PServerClient mesh, CancellationToken cancellationToken) => TypedResults.Ok(await mesh.PeersAsync(cancellationToken)))
            .WithName("ListPeers")
            .WithSummary("This peer and its neighbours, each pinged");
        return app;
    }
}
