using Google.Protobuf.Reflection;
using Grpc.Health.V1;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using P2PMesh.Grpc.Server.Internal;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace P2PMesh.Grpc.Health;

/// <summary>
/// <c>grpc.health.v1.Health</c> (doc/health-checking.md) backed by ASP.NET Core's
/// <see cref="HealthCheckService"/>: Healthy and Degraded report SERVING, Unhealthy NOT_SERVING.
/// This is what the kubelet's native <c>grpc:</c> probe and grpc_health_probe call.
/// </summary>
internal sealed class HealthService(
    HealthCheckService healthChecks,
    IOptions<GrpcHealthOptions> options,
    GrpcServiceRegistry registry,
    TimeProvider timeProvider) : IGrpcService
{
    public static ServiceDescriptor Descriptor => HealthReflection.Descriptor.Services[0];

    /// <summary>The current status; NOT_FOUND for an unknown service name.</summary>
    public async Task<HealthCheckResponse> Check(HealthCheckRequest request, ServerCallContext context)
    {
        if (!TryGetPredicate(request.Service, out var predicate))
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"Service '{request.Service}' is unknown to the health service."));
        }
        return new HealthCheckResponse { Status = await EvaluateAsync(predicate, context.CancellationToken).ConfigureAwait(false) };
    }

    /// <summary>
    /// The status at once, then each change, until the client cancels. An unknown name streams
    /// SERVICE_UNKNOWN and keeps the call open, as the spec asks.
    /// </summary>
    public async Task Watch(HealthCheckRequest request, IServerStreamWriter<HealthCheckResponse> responses, ServerCallContext context)
    {
        var cancellationToken = context.CancellationToken;
        ServingStatus? last = null;
        while (true)
        {
            var status = TryGetPredicate(request.Service, out var predicate)
                ? await EvaluateAsync(predicate, cancellationToken).ConfigureAwait(false)
                : ServingStatus.ServiceUnknown;
            if (status != last)
            {
                await responses.WriteAsync(new HealthCheckResponse { Status = status }, cancellationToken).ConfigureAwait(false);
                last = status;
            }
            await Task.Delay(options.Value.WatchInterval, timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private bool TryGetPredicate(string service, out Func<HealthCheckRegistration, bool>? predicate)
    {
        if (options.Value.TryGetPredicate(service, out predicate))
        {
            return true;
        }
        predicate = null;
        return registry.Services.Any(s => s.FullName == service);
    }

    private async Task<ServingStatus> EvaluateAsync(Func<HealthCheckRegistration, bool>? predicate, CancellationToken cancellationToken)
    {
        var report = await healthChecks.CheckHealthAsync(predicate, cancellationToken).ConfigureAwait(false);
        return report.Status == HealthStatus.Unhealthy ? ServingStatus.NotServing : ServingStatus.Serving;
    }
}
