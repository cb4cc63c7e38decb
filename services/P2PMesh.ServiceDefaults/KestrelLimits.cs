using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace P2PMesh.ServiceDefaults;

/// <summary>
/// Kestrel's limits, set on purpose for every P2PMesh service (docs/security.md, Limits) instead of left to defaults
/// that may move between releases. What each bounds is in its comment; a caller over a limit gets the protocol's
/// error (HTTP 431/413, an HTTP/2 stream or connection error), never a hung stream.
/// </summary>
public static class KestrelLimits
{
    /// <summary>Concurrent HTTP/2 streams per connection: more wait for a free one (floods and chunk reads of one peer share a connection).</summary>
    public const int MaxStreamsPerConnection = 100;

    /// <summary>The least a request body or a response must move once past its grace period, bytes per second.</summary>
    public const double MinDataRateBytesPerSecond = 240;

    /// <summary>How long a body or a response may stay below <see cref="MinDataRateBytesPerSecond"/> before the stream is cut.</summary>
    public static readonly TimeSpan MinDataRateGrace = TimeSpan.FromSeconds(10);

    /// <summary>Applies the limits to the host's Kestrel server.</summary>
    /// <returns><paramref name="builder"/>.</returns>
    public static WebApplicationBuilder ConfigureKestrelLimits(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var limits = kestrel.Limits;
            // Headers: gRPC metadata (a peer token is under 1 KiB) and REST requests need far less; bounds memory per request.
            limits.MaxRequestHeadersTotalSize = 32 * 1024;
            limits.MaxRequestHeaderCount = 64;
            limits.MaxRequestLineSize = 8 * 1024;
            // A connection that sends no complete headers in time, or stays idle between requests, is closed.
            limits.RequestHeadersTimeout = TimeSpan.FromSeconds(30);
            limits.KeepAliveTimeout = TimeSpan.FromMinutes(2);
            // A stalled client cannot hold a stream forever: an upload that stops sending, or a reader that stops reading
            // a ReadChunks stream, is cut once below the rate for the grace period (a flood that waits for its forwards
            // sends nothing but is not measured: only bytes being sent or read count).
            limits.MinRequestBodyDataRate = new MinDataRate(MinDataRateBytesPerSecond, MinDataRateGrace);
            limits.MinResponseDataRate = new MinDataRate(MinDataRateBytesPerSecond, MinDataRateGrace);
            limits.Http2.MaxStreamsPerConnection = MaxStreamsPerConnection;
            limits.Http2.MaxRequestHeaderFieldSize = 16 * 1024;
            limits.Http2.HeaderTableSize = 4096;
            // Dead peers behind a silent connection are found by PING within a minute.
            limits.Http2.KeepAlivePingDelay = TimeSpan.FromSeconds(30);
            limits.Http2.KeepAlivePingTimeout = TimeSpan.FromSeconds(20);
        });
        return builder;
    }
}
