using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace P2PMesh.Bootstrap.Health;

/// <summary>
/// Readiness of the Bootstrap (docs/architecture.md, Health): healthy while it accepts joins, that is from the
/// moment the host has started (the gRPC endpoint listens, the registry exists) until it begins to stop.
/// </summary>
public sealed class JoinsHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(
            lifetime.ApplicationStopping.IsCancellationRequested ? HealthCheckResult.Unhealthy("the bootstrap is stopping")
            : lifetime.ApplicationStarted.IsCancellationRequested ? HealthCheckResult.Healthy("accepting joins")
            : HealthCheckResult.Unhealthy("the bootstrap is starting"));
}
