using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using P2PMesh.PClientApi.Mesh;
using P2PMesh.PClientApi.Contracts;

namespace P2PMesh.PClientApi.Apis;

/// <summary><c>GET /api/search</c>: a search from this peer, by flood, directory, auto or mom (docs/architecture.md, Search modes).</summary>
public static class SearchApi
{
    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapSearchApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/search", SearchAsync)
            .WithName("Search")
            .WithSummary("Search the mesh by flood, directory, auto or mom")
            .WithDescription("q: a case-insensitive glob on file names (*.iso) or sha256:<64 hex>; ttl: hops a flood may travel (default 7); "
                + "explain: add every forward of a flood; via: flood, directory, auto (the directory, then a flood when it is unreachable "
                + "or has no hits; the default) or mom. stats.answeredBy says which path answered, stats.messages what it cost.");
        return app;
    }

    private static async Task<Results<Ok<SearchResponse>, ValidationProblem>> SearchAsync(
        string? q, int? ttl, bool? explain, string? via, PServerClient mesh, IOptions<PClientApiOptions> options, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(q))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["q"] = ["A search pattern is required, e.g. q=*.iso or q=sha256:<hex>."] });
        }
        // Only the lower bound here: the PServer knows its Search:MaxTtl and names it ("ttl must be between 1 and 10, got 50",
        // INVALID_ARGUMENT → 400). A ttl that is not a number is BadRequestExceptionHandler's ("'abc' is not a valid int").
        if (ttl < 1)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["ttl"] = [$"ttl must be a whole number from 1 up to the mesh's maximum (Search:MaxTtl, 10 by default), got {ttl}."],
            });
        }
        via ??= SearchModes.Default;
        if (!SearchModes.IsValid(via))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["via"] = [$"via must be one of {string.Join(", ", SearchModes.All)} (default {SearchModes.Default}), got '{via}'."],
            });
        }
        return TypedResults.Ok(await mesh.SearchAsync(q, ttl ?? options.Value.DefaultTtl, explain ?? false, via, cancellationToken));
    }
}
