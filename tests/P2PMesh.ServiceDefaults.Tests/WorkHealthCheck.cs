using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace P2PMesh.ServiceDefaults.Tests;

/// <summary>A readiness check that does one <see cref="TestWork"/> each time it runs (as the API's asks its PServer), then is healthy.</summary>
public sealed class WorkHealthCheck(TestWork work) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        work.Do();
        return Task.FromResult(HealthCheckResult.Healthy());
    }
}
