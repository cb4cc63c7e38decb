namespace P2PMesh.ServiceDefaults.Health;

/// <summary>The tags that sort health checks into liveness and readiness (docs/architecture.md, Health).</summary>
public static class HealthTags
{
    /// <summary>Liveness: the process is up and should not be restarted (HTTP <c>/healthz</c>, gRPC service <see cref="LivenessService"/>).</summary>
    public const string Live = "live";

    /// <summary>Readiness: the service can do its work (HTTP <c>/readyz</c>, gRPC service <c>""</c> and each served service's name).</summary>
    public const string Ready = "ready";

    /// <summary>The <c>grpc.health.v1</c> service name that answers for the liveness checks: <c>liveness</c>.</summary>
    public const string LivenessService = "liveness";
}
