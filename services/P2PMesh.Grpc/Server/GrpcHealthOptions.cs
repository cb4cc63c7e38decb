using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace P2PMesh.Grpc;

/// <summary>
/// Which ASP.NET Core health checks answer which <c>grpc.health.v1</c> service name
/// (doc/health-checking.md). <c>""</c> (the server as a whole) and every mapped gRPC service report
/// all checks unless mapped here; names neither mapped nor served are unknown (NOT_FOUND on Check,
/// SERVICE_UNKNOWN on Watch).
/// </summary>
public sealed class GrpcHealthOptions
{
    private readonly Dictionary<string, Func<HealthCheckRegistration, bool>?> _services = new(StringComparer.Ordinal)
    {
        [string.Empty] = null,
    };

    /// <summary>How often a Watch call re-runs its checks to notice a change. Defaults to 5 seconds.</summary>
    public TimeSpan WatchInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Makes <paramref name="service"/> a known name whose status is the aggregate of the checks that
    /// <paramref name="predicate"/> selects (all checks when <c>null</c>): SERVING when all are
    /// Healthy or Degraded, NOT_SERVING otherwise.
    /// </summary>
    public GrpcHealthOptions Map(string service, Func<HealthCheckRegistration, bool>? predicate)
    {
        ArgumentNullException.ThrowIfNull(service);
        _services[service] = predicate;
        return this;
    }

    /// <summary>Looks up a name mapped with <see cref="Map"/>.</summary>
    internal bool TryGetPredicate(string service, out Func<HealthCheckRegistration, bool>? predicate) =>
        _services.TryGetValue(service, out predicate);
}
