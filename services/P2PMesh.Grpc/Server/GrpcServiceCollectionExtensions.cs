using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using P2PMesh.Grpc.Health;
using P2PMesh.Grpc.Reflection;
using P2PMesh.Grpc.Server.Internal;

namespace P2PMesh.Grpc;

/// <summary>Registers the gRPC server's services.</summary>
public static class GrpcServiceCollectionExtensions
{
    /// <summary>
    /// Adds the gRPC server (options, service registry, health checks for <c>grpc.health.v1</c>,
    /// reflection, and the host's <see cref="GrpcTelemetry"/> activity source). Map services with <see cref="GrpcEndpointRouteBuilderExtensions.MapGrpcService{TService}"/>.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configure">Adjusts <see cref="GrpcServerOptions"/> (receive limit, detailed errors).</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddMeshGrpc(this IServiceCollection services, Action<GrpcServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<GrpcServerOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }
        services.AddOptions<GrpcHealthOptions>();
        services.AddHealthChecks();
        services.TryAddSingleton(TimeProvider.System);
        services.AddGrpcTelemetry();
        services.TryAddSingleton<GrpcServiceRegistry>();
        services.TryAddSingleton<HealthService>();
        services.TryAddSingleton<ReflectionIndex>();
        services.TryAddSingleton<ReflectionServiceV1>();
        services.TryAddSingleton<ReflectionServiceV1Alpha>();
        return services;
    }
}
