namespace P2PMesh.Core.Peers;

/// <summary>Whom <see cref="PeerTokenSource"/> asks a token for: a PServer (id and advertised address) or a PClient-API (id only).</summary>
public interface IPeerTokenSubject
{
    /// <summary>The peer id (<c>Peer:Id</c>).</summary>
    string PeerId { get; }

    /// <summary>The PServer's advertised <c>host:port</c>, known once its server has started; <c>null</c> for a PClient-API.</summary>
    string? Address { get; }
}
