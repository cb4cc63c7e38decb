using P2PMesh.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using P2PMesh.Core.Content;
using P2PMesh.Core.Transfers.Download;
using P2PMesh.PClientApi.Mesh;
using P2PMesh.PClientApi.Contracts;
using P2PMesh.PClientApi.Internal;

namespace P2PMesh.PClientApi.Apis;

/// <summary>
/// Download jobs (docs/architecture.md, PClient-API and Transfers): <c>POST /api/downloads</c> starts one (finding sources with an
/// auto search, the directory then a flood, when none are given), <c>GET /api/downloads[/{id}]</c> reports progress, <c>DELETE</c> cancels
/// (a later start of the same hash resumes). Finished files land in this peer's share.
/// </summary>
public static class DownloadsApi
{
    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapDownloadsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/downloads").WithTags("Downloads");
        group.MapPost("/", StartAsync).WithName("StartDownload").WithSummary("Download a file by SHA-256 from every peer that has it");
        group.MapGet("/", (DownloadManager downloads) => TypedResults.Ok(downloads.Jobs.Select(j => j.Snapshot().ToDownloadStatus()).ToList()))
            .WithName("ListDownloads");
        group.MapGet("/{id:guid}", Results<Ok<DownloadStatus>, ProblemHttpResult> (Guid id, DownloadManager downloads) =>
            downloads.Get(id) is { } job ? TypedResults.Ok(job.Snapshot().ToDownloadStatus()) : UnknownJob(id))
            .WithName("GetDownload");
        group.MapDelete("/{id:guid}", Results<Accepted<DownloadStatus>, ProblemHttpResult> (Guid id, DownloadManager downloads) =>
            downloads.Get(id) is { } job && downloads.Cancel(id) ? TypedResults.Accepted($"/api/downloads/{id}", job.Snapshot().ToDownloadStatus()) : UnknownJob(id))
            .WithName("CancelDownload");
        return app;
    }

    private static async Task<Results<Accepted<DownloadStatus>, ValidationProblem, ProblemHttpResult>> StartAsync(
        StartDownloadRequest request,
        DownloadManager downloads,
        ContentIndex index,
        PServerClient mesh,
        KnownPeers known,
        IOptions<PClientApiOptions> options,
        CancellationToken cancellationToken)
    {
        if (!ContentHash.IsSha256Hex(request.Sha256))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["sha256"] = ["The file's SHA-256 (64 hex digits) is required."] });
        }
        var sha256 = request.Sha256!.ToLowerInvariant();
        // This process indexes the share on demand: catch up (from the PServer's hash cache) so a file the
        // share already holds completes at once instead of being fetched and stored twice.
        _ = await index.FindBySha256Async(sha256, cancellationToken);
        var sources = request.Sources is { Count: > 0 }
            ? request.Sources
            : (await mesh.SearchAsync($"sha256:{sha256}", options.Value.DefaultTtl, explain: false, SearchModes.Auto, cancellationToken))
                .Files.SelectMany(f => f.Sources).Select(s => s.Address).Distinct().ToList();
        if (request.Sources is { Count: > 0 } && await UnknownSourcesAsync(sha256, sources, mesh, known, options.Value.DefaultTtl, cancellationToken) is { Count: > 0 } unknown)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not a known peer",
                detail: $"{string.Join(", ", unknown)}: not a peer of this mesh that holds sha256 {sha256} (this API dials only its PServer, its neighbours and holders a search finds).");
        }
        if (sources.Count == 0)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No sources",
                detail: $"No peer within reach holds a file with sha256 {sha256}.");
        }
        DownloadJob job;
        try
        {
            job = downloads.Start(sha256, sources, request.Name);
        }
        catch (ArgumentException ex)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [ex.ParamName ?? "request"] = [ex.Message] });
        }
        return TypedResults.Accepted($"/api/downloads/{job.Id}", job.Snapshot().ToDownloadStatus());
    }

    // Sources a caller named that the mesh does not know; one search for the hash (auto: the directory, else a flood)
    // may vouch for them as holders. Addresses that do not parse are left to the download engine's validation.
    private static async Task<IReadOnlyList<PeerAddress>> UnknownSourcesAsync(
        string sha256, IReadOnlyList<string> sources, PServerClient mesh, KnownPeers known, int ttl, CancellationToken cancellationToken)
    {
        var addresses = sources.Select(s => PeerAddress.TryParse(s, out var a, out _) ? a : (PeerAddress?)null).OfType<PeerAddress>().ToList();
        if ((await known.UnknownAsync(addresses, mesh, cancellationToken)).Count == 0)
        {
            return [];
        }
        _ = await mesh.SearchAsync($"sha256:{sha256}", ttl, explain: false, SearchModes.Auto, cancellationToken);   // remembers the holders
        return await known.UnknownAsync(addresses, mesh, cancellationToken);
    }

    private static ProblemHttpResult UnknownJob(Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown download", detail: $"There is no download job {id}.");
}
