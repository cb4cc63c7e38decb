using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using P2PMesh.ServiceDefaults.Deadlines;
using P2PMesh.ServiceDefaults.Health;
using P2PMesh.ServiceDefaults.Telemetry;
using P2PMesh.ServiceDefaults.Tls;

namespace P2PMesh.ServiceDefaults;

/// <summary>
/// What every P2PMesh service sets up alike (docs/architecture.md, Service defaults): OpenTelemetry, health checks
/// and their endpoints. Each service's Program.cs calls <see cref="AddServiceDefaults"/> and <see cref="MapDefaultEndpoints"/>.
/// </summary>
public static class Extensions
{
    /// <summary>
    /// Adds OpenTelemetry (see <see cref="TelemetryExtensions.ConfigureOpenTelemetry"/>), Kestrel's limits
    /// (<see cref="KestrelLimits"/>), the mesh's TLS (<see cref="TlsExtensions.AddMeshTls"/>, section <c>Tls</c>) and the health checks: the
    /// liveness check <c>self</c> (tag <see cref="HealthTags.Live"/>, healthy while the process runs); services add
    /// their readiness checks with tag <see cref="HealthTags.Ready"/>.
    /// </summary>
    /// <param name="builder">The host.</param>
    /// <param name="serviceName">The default <c>service.name</c>, one of <see cref="TelemetryServiceNames"/>.</param>
    /// <param name="serviceInstanceId">The <c>service.instance.id</c>: the peer id (shared by a peer's PServer and PClient-API).</param>
    /// <param name="housekeepingMethods">The mesh's housekeeping RPCs as HTTP/2 paths (<c>HousekeepingMethods.Paths</c>
    /// in P2PMesh.Contracts), which start no trace.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static WebApplicationBuilder AddServiceDefaults(
        this WebApplicationBuilder builder, string serviceName, string serviceInstanceId, IEnumerable<string> housekeepingMethods)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ConfigureOpenTelemetry(serviceName, serviceInstanceId, new HousekeepingCalls(housekeepingMethods));
        builder.ConfigureKestrelLimits();
        builder.AddMeshTls();
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [HealthTags.Live]);
        return builder;
    }

    /// <summary>
    /// Maps the HTTP probes, <see cref="HousekeepingCalls.LivenessPath"/> (the <see cref="HealthTags.Live"/> checks;
    /// 200 <c>ok</c>) and <see cref="HousekeepingCalls.ReadinessPath"/> (the <see cref="HealthTags.Ready"/> checks;
    /// 200 <c>ready</c>, or 503 with RFC 9457 problem details naming what is not ready), and, when the host serves gRPC
    /// (<see cref="GrpcEndpointExtensions.AddGrpcEndpoint"/>), <c>grpc.health.v1.Health</c> and server reflection.
    /// </summary>
    /// <returns><paramref name="app"/>.</returns>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapHealthChecks(HousekeepingCalls.LivenessPath, new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains(HealthTags.Live),
            ResponseWriter = (context, report) => WriteAsync(context, report, "ok"),
        });
        app.MapHealthChecks(HousekeepingCalls.ReadinessPath, new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains(HealthTags.Ready),
            ResponseWriter = (context, report) => WriteAsync(context, report, "ready"),
        });
        if (app.Services.GetService<GrpcEndpointMarker>() is not null)
        {
            app.UseProbePortFilter();
            app.UseCallDeadlines();
            app.MapGrpcHealthChecksService();
            app.MapGrpcReflectionService();
        }
        return app;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report, string healthyText)
    {
        if (report.Status == HealthStatus.Healthy)
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            return context.Response.WriteAsync(healthyText, context.RequestAborted);
        }
        var detail = new StringBuilder();
        foreach (var (name, entry) in report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy))
        {
            detail.Append(detail.Length == 0 ? string.Empty : " ").Append(entry.Description ?? $"{name} is {entry.Status}.");
        }
        return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not ready", detail: detail.ToString()).ExecuteAsync(context);
    }
}
