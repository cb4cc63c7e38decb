using System.Collections.Frozen;
using Grpc.Health.V1;
using P2PMesh.Core.Peers;

namespace P2PMesh.ServiceDefaults.Telemetry;

/// <summary>
/// The housekeeping calls, in one place: what the services and the kubelet call over and over on their own to keep
/// the mesh and its pods up, as opposed to the work a user starts (searches, downloads, uploads, every other REST
/// call). A housekeeping call does not start a trace: it is traced only inside a trace that is already sampled, e.g.
/// a <c>GetNeighbours</c> made for <c>GET /api/peers</c> (see <see cref="OtlpTelemetryService"/>). Without this, every
/// peer would export a trace every few seconds for its pings and heartbeats, and every probe would be one more.
/// </summary>
/// <remarks>
/// The gRPC methods come from the protobuf descriptors: <c>p2pmesh.v1.Peer</c>'s neighbour maintenance
/// (<c>Ping</c>, <c>Link</c>, <c>Unlink</c>, <c>GetNeighbours</c>; protos/p2pmesh/v1/peer.proto), every
/// <c>p2pmesh.v1.Bootstrap</c> method (<c>Join</c>, <c>Heartbeat</c>, <c>Leave</c>, <c>ListPeers</c>;
/// protos/p2pmesh/v1/bootstrap.proto) and every <c>grpc.health.v1.Health</c> method (<c>Check</c>, <c>Watch</c>:
/// the kubelet's gRPC probes; protos/grpc/health/v1/health.proto). The HTTP probes are the PClient-API's
/// <see cref="LivenessPath"/> and <see cref="ReadinessPath"/>.
/// </remarks>
public static class HousekeepingCalls
{
    /// <summary>The liveness probe of the PClient-API: <c>/healthz</c> (the process is up).</summary>
    public const string LivenessPath = "/healthz";

    /// <summary>The readiness probe of the PClient-API: <c>/readyz</c> (its PServer answers).</summary>
    public const string ReadinessPath = "/readyz";

    /// <summary>The housekeeping gRPC methods, as HTTP/2 paths: <c>/{package}.{Service}/{Method}</c>, e.g. <c>/p2pmesh.v1.Peer/Ping</c>.</summary>
    public static IReadOnlyList<string> GrpcMethods { get; } =
    [
        PeerMethods.Ping.FullName,
        PeerMethods.Link.FullName,
        PeerMethods.Unlink.FullName,
        PeerMethods.GetNeighbours.FullName,
        PeerMethods.Join.FullName,
        PeerMethods.Heartbeat.FullName,
        PeerMethods.Leave.FullName,
        PeerMethods.ListPeers.FullName,
        .. HealthReflection.Descriptor.Services[0].Methods.Select(m => $"/{m.Service.FullName}/{m.Name}"),
    ];

    /// <summary>The HTTP probe paths: <see cref="LivenessPath"/> and <see cref="ReadinessPath"/>.</summary>
    public static IReadOnlyList<string> HttpProbePaths { get; } = [LivenessPath, ReadinessPath];

    // After the lists above: static initializers run in textual order.
    private static readonly FrozenSet<string> RpcSpanNames = GrpcMethods.Select(path => path[1..]).ToFrozenSet(StringComparer.Ordinal);

    // ASP.NET Core routing matches paths case-insensitively.
    private static readonly FrozenSet<string> RequestPaths = GrpcMethods.Concat(HttpProbePaths).ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Whether <paramref name="spanName"/> is the name of a housekeeping call's gRPC span (client or server):
    /// <c>{rpc.service}/{rpc.method}</c>, e.g. <c>p2pmesh.v1.Peer/Ping</c> (see <c>P2PMesh.Grpc.GrpcTelemetry</c>).
    /// </summary>
    public static bool IsRpcSpanName(string spanName)
    {
        ArgumentNullException.ThrowIfNull(spanName);
        return RpcSpanNames.Contains(spanName);
    }

    /// <summary>
    /// Whether an HTTP request to <paramref name="path"/> (ASP.NET Core's <c>url.path</c>) is a housekeeping call:
    /// a probe, or a housekeeping gRPC method.
    /// </summary>
    public static bool IsRequestPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return RequestPaths.Contains(path);
    }
}
