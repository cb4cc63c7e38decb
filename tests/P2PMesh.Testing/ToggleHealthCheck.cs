using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace P2PMesh.Testing;

/// <summary>A readiness check a test (or the interop host's stdin) can flip between Healthy and Unhealthy.</summary>
public sealed class ToggleHealthCheck : IHealthCheck
{
    private volatile bool _healthy = true;

    /// <summary>Whether the check reports Healthy.</summary>
    public bool Healthy
    {
        get => _healthy;
        set => _healthy = value;
    }

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_healthy ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("toggled off"));
}
