using P2PMesh.V1;

namespace P2PMesh.Core.Peers;

/// <summary>This peer's identity as others see it: its id and the PServer address they dial.</summary>
public interface ILocalPeer
{
    /// <summary>The peer id (never empty).</summary>
    string Id { get; }

    /// <summary>The advertised PServer address, <c>host:port</c>.</summary>
    string Address { get; }

    /// <summary>A new <see cref="PeerInfo"/> with <see cref="Id"/> and <see cref="Address"/>.</summary>
    PeerInfo ToPeerInfo() => new() { Id = Id, Address = Address };
}
