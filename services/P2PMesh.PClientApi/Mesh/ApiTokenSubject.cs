using P2PMesh.Core.Peers;

namespace P2PMesh.PClientApi.Mesh;

/// <summary>
/// The PClient-API's token subject (docs/security.md, Admission): its peer's id (<c>Peer:Id</c>) and no address, so its
/// token admits it to search through its PServer and read chunks from others, never to speak for a peer.
/// </summary>
public sealed class ApiTokenSubject(IConfiguration configuration) : IPeerTokenSubject
{
    /// <inheritdoc />
    public string PeerId { get; } = configuration["Peer:Id"] is { Length: > 0 } id ? id : Environment.MachineName;

    /// <inheritdoc />
    public string? Address => null;
}
