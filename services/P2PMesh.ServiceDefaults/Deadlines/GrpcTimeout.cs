using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace P2PMesh.ServiceDefaults.Deadlines;

/// <summary>
/// The <c>grpc-timeout</c> request header (gRPC over HTTP/2, "Requests": <c>TimeoutValue TimeoutUnit</c>, at most 8
/// digits, units H, M, S, m, u, n) taken over from grpc-dotnet: <see cref="UseCallDeadlines"/> removes a valid header
/// and keeps the deadline it names for <see cref="CallDeadlineInterceptor"/>. grpc-dotnet enforces a deadline by
/// resetting the stream, which throws away trailers still queued behind response data (docs/security.md, Limits).
/// </summary>
public static class GrpcTimeout
{
    /// <summary>The header's name.</summary>
    public const string HeaderName = "grpc-timeout";

    private const string DeadlineKey = "p2pmesh.grpc-deadline";

    /// <summary>Parses a <c>grpc-timeout</c> value, e.g. <c>300m</c> (300 ms) or <c>2S</c>; false when it is not one.</summary>
    public static bool TryParse(string? value, out TimeSpan timeout)
    {
        timeout = default;
        if (value is null || value.Length is < 2 or > 9
            || !long.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return false;
        }
        long? ticks = value[^1] switch
        {
            'H' => amount * TimeSpan.TicksPerHour,
            'M' => amount * TimeSpan.TicksPerMinute,
            'S' => amount * TimeSpan.TicksPerSecond,
            'm' => amount * TimeSpan.TicksPerMillisecond,
            'u' => amount * TimeSpan.TicksPerMicrosecond,
            'n' => amount / 100,
            _ => null,
        };
        if (ticks is null)
        {
            return false;
        }
        timeout = TimeSpan.FromTicks(ticks.Value);
        return true;
    }

    /// <summary>The deadline (UTC) <see cref="UseCallDeadlines"/> kept for the request, if its <c>grpc-timeout</c> named one.</summary>
    public static DateTime? DeadlineOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items.TryGetValue(DeadlineKey, out var value) && value is DateTime deadline ? deadline : null;
    }

    /// <summary>
    /// Takes every valid <c>grpc-timeout</c> header off the request and keeps the deadline it names (measured from the
    /// request's arrival, on the system clock); an invalid one is left to grpc-dotnet, which ignores it.
    /// </summary>
    public static WebApplication UseCallDeadlines(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use((context, next) =>
        {
            if (context.Request.Headers.TryGetValue(HeaderName, out var header) && header.Count == 1 && TryParse(header[0], out var timeout))
            {
                // A timeout past DateTime's range (99999999H is 11,000 years) is no deadline at all.
                var now = DateTime.UtcNow;
                if (timeout < DateTime.MaxValue - now)
                {
                    context.Items[DeadlineKey] = now + timeout;
                }
                context.Request.Headers.Remove(HeaderName);
            }
            return next(context);
        });
        return app;
    }
}
