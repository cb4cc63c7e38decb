using P2PMesh.Grpc;
using P2PMesh.V1;

namespace P2PMesh.Core.Peers;

/// <summary>Client handles of <c>p2pmesh.v1.Peer</c> and <c>p2pmesh.v1.Bootstrap</c> (protos/p2pmesh/v1).</summary>
public static class PeerMethods
{
    private static readonly Google.Protobuf.Reflection.ServiceDescriptor Peer = PeerReflection.Descriptor.Services[0];
    private static readonly Google.Protobuf.Reflection.ServiceDescriptor BootstrapService = BootstrapReflection.Descriptor.Services[0];

    /// <summary><c>Peer.Ping</c>.</summary>
    public static readonly Method<PingRequest, PingReply> Ping = new(Peer, "Ping");
    /// <summary><c>Peer.Link</c>.</summary>
    public static readonly Method<LinkRequest, LinkReply> Link = new(Peer, "Link");
    /// <summary><c>Peer.Unlink</c>.</summary>
    public static readonly Method<UnlinkRequest, UnlinkReply> Unlink = new(Peer, "Unlink");
    /// <summary><c>Peer.GetNeighbours</c>.</summary>
    public static readonly Method<GetNeighboursRequest, GetNeighboursReply> GetNeighbours = new(Peer, "GetNeighbours");
    /// <summary><c>Peer.Search</c> (server streaming).</summary>
    public static readonly Method<SearchRequest, SearchEvent> Search = new(Peer, "Search");

    /// <summary><c>Peer.ListFiles</c>.</summary>
    public static readonly Method<ListFilesRequest, ListFilesReply> ListFiles = new(Peer, "ListFiles");
    /// <summary><c>Peer.GetManifest</c>.</summary>
    public static readonly Method<GetManifestRequest, Manifest> GetManifest = new(Peer, "GetManifest");
    /// <summary><c>Peer.ReadChunks</c> (server streaming).</summary>
    public static readonly Method<ReadChunksRequest, Chunk> ReadChunks = new(Peer, "ReadChunks");
    /// <summary><c>Peer.Upload</c> (client streaming).</summary>
    public static readonly Method<UploadPart, UploadReply> Upload = new(Peer, "Upload");

    /// <summary><c>Bootstrap.Join</c>.</summary>
    public static readonly Method<PeerInfo, JoinReply> Join = new(BootstrapService, "Join");
    /// <summary><c>Bootstrap.Heartbeat</c>.</summary>
    public static readonly Method<PeerInfo, HeartbeatReply> Heartbeat = new(BootstrapService, "Heartbeat");
    /// <summary><c>Bootstrap.Leave</c>.</summary>
    public static readonly Method<PeerInfo, LeaveReply> Leave = new(BootstrapService, "Leave");
    /// <summary><c>Bootstrap.ListPeers</c>.</summary>
    public static readonly Method<ListPeersRequest, ListPeersReply> ListPeers = new(BootstrapService, "ListPeers");

    // After the methods above: static initializers run in textual order.
    /// <summary>
    /// The mesh's housekeeping methods, as HTTP/2 paths (<c>/p2pmesh.v1.Peer/Ping</c>): the neighbour maintenance
    /// (<see cref="Ping"/>, <see cref="Link"/>, <see cref="Unlink"/>, <see cref="GetNeighbours"/>) and every Bootstrap
    /// method (<see cref="Join"/>, <see cref="Heartbeat"/>, <see cref="Leave"/>, <see cref="ListPeers"/>), which the peers
    /// call over and over on their own, as opposed to the work a user starts. Every service passes them to
    /// <c>AddTelemetry</c> (P2PMesh.ServiceDefaults), so that they never start a trace.
    /// </summary>
    public static IReadOnlyList<string> Housekeeping { get; } =
    [
        Ping.FullName, Link.FullName, Unlink.FullName, GetNeighbours.FullName,
        Join.FullName, Heartbeat.FullName, Leave.FullName, ListPeers.FullName,
    ];
}
