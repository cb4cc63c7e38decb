using System.Collections.Frozen;
using Grpc.Health.V1;

namespace P2PMesh.ServiceDefaults.Telemetry;

/// <summary>
/// A host's housekeeping calls, in one place: what the services and the kubelet call over and over on their own to
/// keep the mesh and its pods up, as opposed to the work a user starts (searches, downloads, uploads, every other REST
/// call). A housekeeping call does not start a trace: it is traced only inside a trace that is already sampled, e.g.
/// a <c>GetNeighbours</c> made for <c>GET /api/peers</c> (see <see cref="TelemetryExtensions.AddMeshInstrumentation"/>). Without this, every
/// peer would export a trace every few seconds for its pings and heartbeats, and every probe would be one more.
/// </summary>
/// <remarks>
/// The service names its own housekeeping gRPC methods (<c>HousekeepingMethods.Paths</c> in P2PMesh.Contracts, passed to <see cref="Extensions.AddServiceDefaults"/>); every host
/// adds the kubelet's probes: every <c>grpc.health.v1.Health</c> method (<see cref="HealthMethods"/>: <c>Check</c>,
/// <c>Watch</c>; grpc.health.v1, from Grpc.HealthCheck) and the HTTP probe paths (<see cref="HttpProbePaths"/>).
/// </remarks>
public sealed class HousekeepingCalls
{
    /// <summary>The HTTP liveness probe: <c>/healthz</c> (the process is up).</summary>
    public const string LivenessPath = "/healthz";

    /// <summary>The HTTP readiness probe: <c>/readyz</c> (e.g. the PClient-API's PServer answers).</summary>
    public const string ReadinessPath = "/readyz";

    private readonly FrozenSet<string> _rpcSpanNames;
    private readonly FrozenSet<string> _requestPaths;

    /// <summary>The housekeeping calls of a host whose own housekeeping gRPC methods are <paramref name="methods"/>.</summary>
    /// <param name="methods">HTTP/2 paths, <c>/{package}.{Service}/{Method}</c>, e.g. <c>/p2pmesh.v1.Peer/Ping</c>.</param>
    /// <exception cref="ArgumentException">A method is not such a path.</exception>
    public HousekeepingCalls(IEnumerable<string> methods)
    {
        ArgumentNullException.ThrowIfNull(methods);
        GrpcMethods = [.. methods, .. HealthMethods];
        foreach (var path in GrpcMethods)
        {
            if (path is null || path.Length < 2 || path[0] != '/')
            {
                throw new ArgumentException($"'{path}' is not a gRPC method's path (/{{package}}.{{Service}}/{{Method}}).", nameof(methods));
            }
        }
        _rpcSpanNames = GrpcMethods.Select(path => path[1..]).ToFrozenSet(StringComparer.Ordinal);
        // ASP.NET Core routing matches paths case-insensitively.
        _requestPaths = GrpcMethods.Concat(HttpProbePaths).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The <c>grpc.health.v1.Health</c> methods (the kubelet's gRPC probes), as HTTP/2 paths.</summary>
    public static IReadOnlyList<string> HealthMethods { get; } =
        [.. HealthReflection.Descriptor.Services[0].Methods.Select(m => $"/{m.Service.FullName}/{m.Name}")];

    /// <summary>The HTTP probe paths: <see cref="LivenessPath"/> and <see cref="ReadinessPath"/>.</summary>
    public static IReadOnlyList<string> HttpProbePaths { get; } = [LivenessPath, ReadinessPath];

    /// <summary>The housekeeping gRPC methods, as HTTP/2 paths: the service's own, then <see cref="HealthMethods"/>.</summary>
    public IReadOnlyList<string> GrpcMethods { get; }

    /// <summary>
    /// Whether <paramref name="spanName"/> is the name of a housekeeping call's gRPC span (client or server):
    /// <c>{rpc.service}/{rpc.method}</c>, e.g. <c>p2pmesh.v1.Peer/Ping</c> (the gRPC client instrumentation).
    /// </summary>
    public bool IsRpcSpanName(string spanName)
    {
        ArgumentNullException.ThrowIfNull(spanName);
        return _rpcSpanNames.Contains(spanName);
    }

    /// <summary>
    /// Whether an HTTP request to <paramref name="path"/> (ASP.NET Core's <c>url.path</c>) is a housekeeping call:
    /// a probe, or a housekeeping gRPC method.
    /// </summary>
    public bool IsRequestPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return _requestPaths.Contains(path);
    }
}
