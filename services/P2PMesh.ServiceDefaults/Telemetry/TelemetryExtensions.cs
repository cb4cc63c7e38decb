using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using P2PMesh.Grpc;

namespace P2PMesh.ServiceDefaults.Telemetry;

/// <summary>OpenTelemetry export for every P2PMesh service, configured only by the standard <c>OTEL_*</c> settings.</summary>
public static class TelemetryExtensions
{
    /// <summary>
    /// Exports this host's traces and metrics over OTLP when an endpoint is configured
    /// (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, or <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c> /
    /// <c>_METRICS_ENDPOINT</c>; see <see cref="OtlpSettings"/>), read from the host's configuration
    /// (environment variables, or <c>--OTEL_...=</c> arguments). With no endpoint (or
    /// <c>OTEL_SDK_DISABLED=true</c>) nothing is registered: no provider, no listener, nothing exported.
    /// Otherwise an <see cref="OtlpTelemetryService"/> builds the providers when the host starts and
    /// flushes them when it stops. The resource is described in <see cref="TelemetryResource"/>. With traces,
    /// ASP.NET Core's request spans follow the HTTP server conventions (<see cref="HttpServerSpans"/>), and the
    /// housekeeping calls (<paramref name="housekeepingMethods"/>, the gRPC health checks and the HTTP probes;
    /// <see cref="HousekeepingCalls"/>) start no trace.
    /// </summary>
    /// <param name="builder">The host.</param>
    /// <param name="serviceName">The default <c>service.name</c>, one of <see cref="TelemetryServiceNames"/>.</param>
    /// <param name="serviceInstanceId">The <c>service.instance.id</c>: the peer id (shared by a peer's PServer and PClient-API).</param>
    /// <param name="housekeepingMethods">The service's housekeeping gRPC methods, served or called, as HTTP/2 paths
    /// (<c>/{package}.{Service}/{Method}</c>, e.g. <c>/p2pmesh.v1.Peer/Ping</c>).</param>
    /// <returns><paramref name="builder"/>.</returns>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An <c>OTEL_*</c> setting in force is malformed:
    /// thrown here, while the host is being built, with every problem named (see <see cref="OtlpSettings.Read"/>).</exception>
    /// <exception cref="ArgumentException">A housekeeping method is not such a path.</exception>
    public static WebApplicationBuilder AddTelemetry(
        this WebApplicationBuilder builder, string serviceName, string serviceInstanceId, IEnumerable<string> housekeepingMethods)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(serviceName);
        ArgumentException.ThrowIfNullOrEmpty(serviceInstanceId);
        var housekeeping = new HousekeepingCalls(housekeepingMethods);
        builder.Services.AddGrpcTelemetry();
        var settings = OtlpSettings.Read(builder.Configuration);
        if (!settings.Enabled)
        {
            return builder;
        }
        if (settings.TracesEndpoint is not null)
        {
            HttpServerSpans.Add(builder.Services);
        }
        builder.Services.AddSingleton(new TelemetryIdentity(serviceName, serviceInstanceId, settings));
        builder.Services.AddSingleton(housekeeping);
        builder.Services.AddSingleton<OtlpTelemetryService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OtlpTelemetryService>());
        return builder;
    }
}
