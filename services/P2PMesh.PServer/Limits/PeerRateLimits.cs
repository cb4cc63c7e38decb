using System.Net;
using System.Threading.RateLimiting;
using P2PMesh.ServiceDefaults;
using P2PMesh.ServiceDefaults.Admission;

namespace P2PMesh.PServer.Limits;

/// <summary>
/// ASP.NET Core rate limiting on <c>Search</c> and <c>ReadChunks</c> (docs/security.md, Limits): one token bucket per
/// caller and method (<see cref="RateLimitOptions"/>); the caller is its admitted peer id, else its IP address, else
/// on loopback (a local mesh, where every peer has the same address) its connection. A refused call is answered as gRPC, RESOURCE_EXHAUSTED with a
/// message naming the limit (a trailers-only response, HTTP 200), not HTTP 429, so every gRPC client reads the real status.
/// </summary>
public static class PeerRateLimits
{
    /// <summary>The policy on <c>Peer.Search</c>.</summary>
    public const string SearchPolicy = "search";

    /// <summary>The policy on <c>Peer.ReadChunks</c>.</summary>
    public const string ReadChunksPolicy = "read-chunks";

    /// <summary>Adds the two policies with the settings of section <see cref="RateLimitOptions.SectionName"/>.</summary>
    public static WebApplicationBuilder AddPeerRateLimits(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var settings = builder.AddValidatedOptions(RateLimitOptions.SectionName, new RateLimitOptionsValidator());
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(SearchPolicy, context => Bucket(context, settings.SearchPerSecond, settings.SearchBurst));
            limiter.AddPolicy(ReadChunksPolicy, context => Bucket(context, settings.ReadChunksPerSecond, settings.ReadChunksBurst));
            limiter.OnRejected = (rejected, _) =>
            {
                var response = rejected.HttpContext.Response;
                response.StatusCode = StatusCodes.Status200OK;
                response.ContentType = "application/grpc";
                response.Headers["grpc-status"] = "8";
                response.Headers["grpc-message"] = Uri.EscapeDataString(
                    $"rate limit: caller {CallerOf(rejected.HttpContext)} exceeded its calls per second to {rejected.HttpContext.Request.Path} (Limits:*PerSecond)");
                return ValueTask.CompletedTask;
            };
        });
        return builder;
    }

    private static RateLimitPartition<string> Bucket(HttpContext context, int perSecond, int burst) =>
        RateLimitPartition.GetTokenBucketLimiter(CallerOf(context), _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = perSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });

    // The caller: its peer id when admitted, else its IP address; on loopback, where every process of the machine (all
    // the peers of a local mesh) has the same address, its connection (address and port).
    private static string CallerOf(HttpContext context)
    {
        if (CallerAdmission.PeerIdOf(context.User) is { } peerId)
        {
            return "peer:" + peerId;
        }
        var connection = context.Connection;
        return connection.RemoteIpAddress is { } ip && IPAddress.IsLoopback(ip)
            ? $"connection:{ip}:{connection.RemotePort}"
            : "ip:" + (connection.RemoteIpAddress?.ToString() ?? "unknown");
    }
}
