namespace P2PMesh.PClientApi.Contracts;

/// <summary>
/// A file a peer just added to its share, as <c>GET /api/watch</c> streams it: the JSON of one server-sent event's
/// <c>data:</c> line (README.md, REST API; the ADDED <c>IndexEvent</c> of protos/p2pmesh/v1/bus.proto).
/// </summary>
/// <param name="Name">Path relative to the holder's share.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="Sha256">64 lowercase hex digits.</param>
/// <param name="PeerId">The holder's id.</param>
/// <param name="Address">The holder's PServer, <c>host:port</c> (what downloads use).</param>
/// <param name="OccurredAt">When the holder's index saw the file (UTC).</param>
public sealed record WatchedFile(string Name, long Size, string Sha256, string PeerId, string Address, DateTimeOffset OccurredAt);
