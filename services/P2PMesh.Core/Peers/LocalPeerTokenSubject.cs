namespace P2PMesh.Core.Peers;

/// <summary>A PServer's token subject: its id and advertised address (<see cref="ILocalPeer"/>).</summary>
public sealed class LocalPeerTokenSubject(ILocalPeer self) : IPeerTokenSubject
{
    /// <inheritdoc />
    public string PeerId => self.Id;

    /// <inheritdoc />
    public string? Address => self.Address;
}
