using P2PMesh.V1;

namespace P2PMesh.Contracts;

/// <summary>
/// The mesh's housekeeping RPCs (protos/p2pmesh/v1): the neighbour maintenance (<c>Peer.Ping</c>, <c>Link</c>,
/// <c>Unlink</c>, <c>GetNeighbours</c>), every <c>Bootstrap</c> method (<c>Join</c>, <c>Heartbeat</c>, <c>Leave</c>,
/// <c>ListPeers</c>) and the directory's session and index upkeep (<c>PeerDirectory.Login</c>, <c>Logout</c>,
/// <c>SendIndex</c>: full, delta and digest alike; the peer tokens: <c>IssueToken</c>, <c>GetTokenKeys</c>; protos/p2pmesh/v1/directory.proto), which the peers call over and
/// over on their own, as opposed to the work a user starts (a <c>PeerDirectory.Query</c> is a search: it is traced).
/// Every service passes them to <c>AddServiceDefaults</c> (P2PMesh.ServiceDefaults) so that they never start a trace
/// (docs/architecture.md, Observability).
/// </summary>
public static class HousekeepingMethods
{
    /// <summary>The methods as HTTP/2 request paths, e.g. <c>/p2pmesh.v1.Peer/Ping</c>.</summary>
    public static IReadOnlyList<string> Paths { get; } =
    [
        .. new[] { "Ping", "Link", "Unlink", "GetNeighbours" }.Select(m => Path(Peer.Descriptor, m)),
        .. Bootstrap.Descriptor.Methods.Select(m => Path(Bootstrap.Descriptor, m.Name)),
        .. new[] { "Login", "Logout", "SendIndex", "IssueToken", "GetTokenKeys" }.Select(m => Path(PeerDirectory.Descriptor, m)),
    ];

    private static string Path(Google.Protobuf.Reflection.ServiceDescriptor service, string method) =>
        service.FindMethodByName(method) is not null
            ? $"/{service.FullName}/{method}"
            : throw new InvalidOperationException($"{service.FullName} has no method {method}");
}
