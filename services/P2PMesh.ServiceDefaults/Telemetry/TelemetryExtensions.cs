using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace P2PMesh.ServiceDefaults.Telemetry;

/// <summary>
/// OpenTelemetry for every P2PMesh service (docs/architecture.md, Observability), on
/// <c>OpenTelemetry.Extensions.Hosting</c> and configured only by the standard <c>OTEL_*</c> settings.
/// </summary>
public static class TelemetryExtensions
{
    /// <summary>The project's own sources and meter: <c>P2PMesh.*</c>.</summary>
    public const string MeshSources = "P2PMesh.*";

    /// <summary>The project's meter.</summary>
    public const string MeshMeter = "P2PMesh";

    /// <summary>
    /// Whether the host exports telemetry: an OTLP endpoint is configured (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, or
    /// <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c> / <c>_METRICS_ENDPOINT</c>; environment variables or
    /// <c>--OTEL_…=</c> arguments) and <c>OTEL_SDK_DISABLED</c> is not <c>true</c>.
    /// </summary>
    public static bool IsExportConfigured(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (string.Equals(configuration["OTEL_SDK_DISABLED"], "true", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        return new[] { "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT" }
            .Any(key => !string.IsNullOrWhiteSpace(configuration[key]));
    }

    /// <summary>
    /// With an OTLP endpoint (<see cref="IsExportConfigured"/>): <c>AddOpenTelemetry()</c> with the resource of
    /// <see cref="TelemetryResource"/>, tracing (ASP.NET Core, HttpClient and gRPC client instrumentation, the
    /// <c>P2PMesh.*</c> sources) and metrics (the same instrumentation, the <c>P2PMesh</c> meter, runtime metrics),
    /// each exported over OTLP as the <c>OTEL_EXPORTER_OTLP_*</c> settings say. Without one nothing is registered:
    /// no provider, no listener, nothing exported. Housekeeping calls (<paramref name="housekeeping"/>) start no trace:
    /// see <see cref="HousekeepingCalls"/>.
    /// </summary>
    /// <returns><paramref name="builder"/>.</returns>
    public static WebApplicationBuilder ConfigureOpenTelemetry(
        this WebApplicationBuilder builder, string serviceName, string serviceInstanceId, HousekeepingCalls housekeeping)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(serviceName);
        ArgumentException.ThrowIfNullOrEmpty(serviceInstanceId);
        ArgumentNullException.ThrowIfNull(housekeeping);
        if (!IsExportConfigured(builder.Configuration))
        {
            return builder;
        }
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => TelemetryResource.Configure(resource, builder.Configuration, serviceName, serviceInstanceId))
            .WithTracing(tracing => tracing.AddMeshInstrumentation(housekeeping).AddOtlpExporter())
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(MeshMeter)
                .AddOtlpExporter());
        return builder;
    }

    /// <summary>
    /// The tracing every service has, without an exporter (tests add an in-memory one): ASP.NET Core request spans
    /// (gRPC server calls included), gRPC client spans (with HttpClient's under them suppressed), HttpClient spans of
    /// other requests, and the <c>P2PMesh.*</c> sources; housekeeping calls without a sampled parent are not collected.
    /// </summary>
    /// <remarks>
    /// Each instrumentation's <c>Filter</c> runs when the call's activity has started (it is <see cref="Activity.Current"/>)
    /// and before its <c>traceparent</c> is sent, so a call it drops also tells the callee it is not sampled (flags
    /// <c>00</c>), and the callee's filter drops its half too.
    /// </remarks>
    /// <returns><paramref name="tracing"/>.</returns>
    public static TracerProviderBuilder AddMeshInstrumentation(this TracerProviderBuilder tracing, HousekeepingCalls housekeeping)
    {
        ArgumentNullException.ThrowIfNull(tracing);
        ArgumentNullException.ThrowIfNull(housekeeping);
        return tracing
            .AddSource(MeshSources)
            .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsUnsampledHousekeeping(housekeeping, context.Request.Path.Value, Activity.Current))
            .AddGrpcClientInstrumentation(o =>
            {
                o.SuppressDownstreamInstrumentation = true;
                o.Filter = request => !IsUnsampledHousekeeping(housekeeping, request.RequestUri?.AbsolutePath, Activity.Current);
            })
            .AddHttpClientInstrumentation(o => o.FilterHttpRequestMessage = request =>
                !IsUnsampledHousekeeping(housekeeping, request.RequestUri?.AbsolutePath, Activity.Current));
    }

    /// <summary>
    /// A housekeeping call (<see cref="HousekeepingCalls.IsRequestPath"/>) whose activity, <paramref name="call"/>, has no
    /// sampled parent, in this process or remote (its W3C <c>traceparent</c>).
    /// </summary>
    internal static bool IsUnsampledHousekeeping(HousekeepingCalls housekeeping, string? path, Activity? call) =>
        path is not null && housekeeping.IsRequestPath(path) && !HasSampledParent(call);

    // A local parent's flags as they are now (a filtered parent was sampled, then dropped); a remote one's as received.
    private static bool HasSampledParent(Activity? call) => call?.Parent is { } parent
        ? parent.Recorded
        : ActivityContext.TryParse(call?.ParentId, null, out var remote) && (remote.TraceFlags & ActivityTraceFlags.Recorded) != 0;
}
