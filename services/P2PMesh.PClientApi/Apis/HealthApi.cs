using P2PMesh.PClientApi.Mesh;
using P2PMesh.ServiceDefaults.Telemetry;

namespace P2PMesh.PClientApi.Apis;

/// <summary>
/// <c>/healthz</c> (the process is up) and <c>/readyz</c> (its PServer answers): the kubelet's probes, which start
/// no trace (<see cref="HousekeepingCalls"/>).
/// </summary>
public static class HealthApi
{
    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(HousekeepingCalls.LivenessPath, () => TypedResults.Text("ok")).ExcludeFromDescription();
        app.MapGet(HousekeepingCalls.ReadinessPath, async (MeshGateway mesh, CancellationToken cancellationToken) =>
            await mesh.IsPServerReadyAsync(cancellationToken)
                ? Results.Text("ready")
                : Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "PServer unreachable",
                    detail: $"This peer's PServer at {mesh.LocalPServer} does not answer."))
            .ExcludeFromDescription();
        return app;
    }
}
