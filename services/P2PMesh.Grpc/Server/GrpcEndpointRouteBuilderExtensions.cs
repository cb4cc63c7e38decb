using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P2PMesh.Grpc.Health;
using P2PMesh.Grpc.Reflection;
using P2PMesh.Grpc.Server.Internal;

namespace P2PMesh.Grpc;

/// <summary>Maps gRPC services onto ASP.NET Core endpoint routing.</summary>
public static class GrpcEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps every method of <typeparamref name="TService"/>'s descriptor to <c>POST /{package}.{Service}/{Method}</c>
    /// (PROTOCOL-HTTP2.md, Requests), and, once per host, a catch-all that answers UNIMPLEMENTED for
    /// unknown gRPC methods. The service instance comes from DI when registered there, otherwise a new
    /// one is created per call (constructor dependencies from DI) and disposed after it. Each call gets a
    /// server span from the host's <see cref="GrpcTelemetry.ActivitySourceName"/> source when one listens
    /// (see <see cref="GrpcTelemetry"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException"><see cref="GrpcServiceCollectionExtensions.AddMeshGrpc"/> was not called, the
    /// service is already mapped, or a method has the wrong shape.</exception>
    public static IEndpointConventionBuilder MapGrpcService<TService>(this IEndpointRouteBuilder endpoints)
        where TService : class, IGrpcService
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        var registry = services.GetService<GrpcServiceRegistry>()
            ?? throw new InvalidOperationException("Call services.AddMeshGrpc() before mapping gRPC services.");
        var descriptor = TService.Descriptor;
        registry.Add(descriptor);

        var methods = ServiceMethodBinder.Bind(
            typeof(TService),
            descriptor,
            services.GetRequiredService<IOptions<GrpcServerOptions>>().Value,
            services.GetRequiredService<ILoggerFactory>(),
            services.GetRequiredService<TimeProvider>(),
            services.GetKeyedService<System.Diagnostics.ActivitySource>(GrpcTelemetry.ActivitySourceName));
        var builders = methods
            .Select(m => endpoints.MapPost(m.Path, m.Handler).WithDisplayName($"gRPC - {m.Path}"))
            .ToList();

        if (!registry.UnimplementedRouteMapped)
        {
            registry.UnimplementedRouteMapped = true;
            MapUnimplemented(endpoints, registry);
        }
        return new CompositeConventionBuilder(builders);
    }

    /// <summary>
    /// Maps <c>grpc.health.v1.Health</c> (Check and Watch, doc/health-checking.md), answered from
    /// ASP.NET Core health checks: <c>""</c> and every mapped service name report all checks, and
    /// <see cref="GrpcHealthOptions.Map"/> adds names with their own check filters.
    /// </summary>
    public static IEndpointConventionBuilder MapGrpcHealthService(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGrpcService<HealthService>();

    /// <summary>
    /// Maps <c>grpc.reflection.v1.ServerReflection</c> and <c>grpc.reflection.v1alpha.ServerReflection</c>
    /// (doc/server-reflection.md), describing every mapped service, so that <c>grpcurl list</c> and
    /// <c>grpcurl describe</c> work.
    /// </summary>
    public static IEndpointConventionBuilder MapGrpcReflectionService(this IEndpointRouteBuilder endpoints)
    {
        var v1 = endpoints.MapGrpcService<ReflectionServiceV1>();
        var v1Alpha = endpoints.MapGrpcService<ReflectionServiceV1Alpha>();
        return new CompositeConventionBuilder([v1, v1Alpha]);
    }

    private static void MapUnimplemented(IEndpointRouteBuilder endpoints, GrpcServiceRegistry registry)
    {
        var logger = endpoints.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("P2PMesh.Grpc.Server");
        // Lowest priority, so every real route wins; non-gRPC requests that land here get a 404
        // as they would without it.
        endpoints.MapPost("{unimplementedService}/{unimplementedMethod}", context =>
        {
            if (!Internal.GrpcProtocolConstants.IsGrpcContentType(context.Request.ContentType))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }
            var service = (string?)context.Request.RouteValues["unimplementedService"];
            var known = registry.Services.Any(s => s.FullName == service);
            return UnimplementedCallHandler.HandleAsync(context, logger, known ? "Method is unimplemented." : "Service is unimplemented.");
        })
        .WithDisplayName("gRPC - unimplemented")
        .Add(b => ((RouteEndpointBuilder)b).Order = int.MaxValue);
    }

    private sealed class CompositeConventionBuilder(IReadOnlyList<IEndpointConventionBuilder> builders) : IEndpointConventionBuilder
    {
        public void Add(Action<EndpointBuilder> convention)
        {
            foreach (var builder in builders)
            {
                builder.Add(convention);
            }
        }

        public void Finally(Action<EndpointBuilder> finallyConvention)
        {
            foreach (var builder in builders)
            {
                builder.Finally(finallyConvention);
            }
        }
    }
}
