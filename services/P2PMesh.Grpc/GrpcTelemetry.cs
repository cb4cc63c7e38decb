using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace P2PMesh.Grpc;

/// <summary>
/// Tracing of gRPC calls: client and server spans that follow the OpenTelemetry semantic conventions
/// for RPC spans (<see href="https://opentelemetry.io/docs/specs/semconv/rpc/grpc/"/>: span name
/// <c>{rpc.service}/{rpc.method}</c>, <c>rpc.system</c> = <c>grpc</c>, <c>rpc.service</c>, <c>rpc.method</c>,
/// <c>rpc.grpc.status_code</c>, <c>server.address</c>/<c>server.port</c>), with the W3C Trace Context
/// (<c>traceparent</c>, <c>tracestate</c>) carried in request metadata through
/// <see cref="DistributedContextPropagator.Current"/>.
/// </summary>
/// <remarks>
/// Each host has its own <see cref="ActivitySource"/> named <see cref="ActivitySourceName"/>, registered
/// as a keyed singleton under that name (<see cref="AddGrpcTelemetry"/>), so that several hosts in one
/// process (tests) can tell their spans apart by <see cref="Activity.Source"/>. Without a listener on
/// that source no span is created and calls pay only a <see cref="ActivitySource.HasListeners"/> check.
/// </remarks>
public static class GrpcTelemetry
{
    /// <summary>The name of the gRPC layer's <see cref="ActivitySource"/>: <c>P2PMesh.Grpc</c>.</summary>
    public const string ActivitySourceName = "P2PMesh.Grpc";

    /// <summary>
    /// Registers this host's <see cref="ActivitySource"/> named <see cref="ActivitySourceName"/> as a keyed
    /// singleton (key <see cref="ActivitySourceName"/>), disposed with the host. The server handlers
    /// take it from there; give it to clients through <see cref="GrpcChannelOptions.ActivitySource"/>.
    /// Idempotent.
    /// </summary>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddGrpcTelemetry(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddKeyedSingleton(ActivitySourceName, static (_, _) =>
            new ActivitySource(ActivitySourceName, typeof(GrpcTelemetry).Assembly.GetName().Version?.ToString()));
        return services;
    }
}
