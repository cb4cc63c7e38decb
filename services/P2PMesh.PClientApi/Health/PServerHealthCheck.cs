using Microsoft.Extensions.Diagnostics.HealthChecks;
using P2PMesh.PClientApi.Mesh;

namespace P2PMesh.PClientApi.Health;

/// <summary>Readiness of the PClient-API (docs/architecture.md, Health; <c>/readyz</c>): this peer's PServer answers a ping.</summary>
public sealed class PServerHealthCheck(PServerClient pservers) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await pservers.IsPServerReadyAsync(cancellationToken).ConfigureAwait(false)
            ? HealthCheckResult.Healthy($"this peer's PServer at {pservers.LocalPServer} answers")
            : HealthCheckResult.Unhealthy($"This peer's PServer at {pservers.LocalPServer} does not answer.");
}
