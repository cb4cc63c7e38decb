using Microsoft.Extensions.Diagnostics.HealthChecks;
using P2PMesh.Core.Content;

namespace P2PMesh.PServer.Health;

/// <summary>
/// Readiness of a PServer (docs/architecture.md, Health): healthy once its share has been scanned, so a search
/// answers with what it holds and its chunks can be served. A peer without neighbours yet is ready all the same.
/// </summary>
public sealed class ShareHealthCheck(ContentIndex index) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(index.LastScanCompleted is { } scanned
            ? HealthCheckResult.Healthy($"share {index.ShareDirectory} scanned at {scanned:O}: {index.Count} files")
            : HealthCheckResult.Unhealthy($"share {index.ShareDirectory} is still being scanned"));
}
