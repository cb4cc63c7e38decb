using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using P2PMesh.Contracts;
using P2PMesh.Core.Bus;
using P2PMesh.PClientApi.Contracts;

namespace P2PMesh.PClientApi.Apis;

/// <summary>
/// <c>GET /api/watch?q=PATTERN</c>: the files any peer adds from now on whose name matches PATTERN, as server-sent
/// events (docs/architecture.md, Message bus): <c>text/event-stream</c>, first a comment <c>: watching PATTERN</c>
/// once subscribed, then one <c>data:</c> line of <see cref="WatchedFile"/> JSON per file, and a comment heartbeat
/// every 15 s, until the client disconnects. It consumes its own exclusive queue bound to <c>p2pmesh.index</c> with
/// <c>#.added</c> (<see cref="IndexWatch"/>).
/// Errors, as problem details: 400 a missing or invalid pattern; 501 this API has no <c>Mom:Uri</c> (the bus is a
/// deployment choice, not a passing condition: asking again will not help); 503 the broker cannot be reached.
/// </summary>
public static class WatchApi
{
    /// <summary>The interval between heartbeat comments, which keep proxies and idle timeouts from closing the stream.</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(15);

    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapWatchApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/watch", WatchAsync)
            .WithName("Watch")
            .WithSummary("Stream the files peers add, as server-sent events")
            .WithDescription("q: a case-insensitive glob on file names (*.iso) or sha256:<64 hex>. text/event-stream: one data: line of JSON (name, size, sha256, peerId, address, occurredAt) per file added anywhere in the mesh. 501 without Mom:Uri.")
            .Produces<WatchedFile>(StatusCodes.Status200OK, "text/event-stream")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status501NotImplemented)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static async Task<IResult> WatchAsync(
        string? q, HttpContext context, IServiceProvider services, IOptions<JsonOptions> json, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(q))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["q"] = ["A pattern is required, e.g. q=*.iso or q=sha256:<hex>."] });
        }
        SearchPattern pattern;
        try
        {
            pattern = SearchPattern.Parse(q);
        }
        catch (FormatException e)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["q"] = [e.Message] });
        }
        if (services.GetService<MomConnection>() is not { } connection)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status501NotImplemented, title: "The message bus is not configured", detail: MomOptions.NotConfiguredMessage);
        }
        // UNAVAILABLE (the broker cannot be reached) becomes 503 problem details (RpcExceptionHandler), before any byte is sent.
        await using var watch = await IndexWatch.StartAsync(connection, pattern, cancellationToken);
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.WriteAsync($": watching {q.ReplaceLineEndings(" ")}\n\n", cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
        var serializer = json.Value.SerializerOptions;
        try
        {
            var next = watch.WaitToReadAsync(cancellationToken).AsTask();
            while (true)
            {
                using var heartbeat = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var beat = Task.Delay(HeartbeatInterval, timeProvider, heartbeat.Token);
                if (await Task.WhenAny(next, beat) == beat)
                {
                    await response.WriteAsync(": heartbeat\n\n", cancellationToken);
                    await response.Body.FlushAsync(cancellationToken);
                    continue;
                }
                await heartbeat.CancelAsync();
                if (!await next)
                {
                    break;
                }
                while (watch.TryRead(out var added))
                {
                    var file = new WatchedFile(
                        added.File.Name, (long)added.File.Size, added.File.Sha256, added.Peer.Id, added.Peer.Address,
                        added.OccurredAt?.ToDateTimeOffset() ?? timeProvider.GetUtcNow());
                    await response.WriteAsync($"data: {JsonSerializer.Serialize(file, serializer)}\n\n", cancellationToken);
                }
                await response.Body.FlushAsync(cancellationToken);
                next = watch.WaitToReadAsync(cancellationToken).AsTask();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away: the watch's queue goes with its channel.
        }
        return TypedResults.Empty;
    }
}
