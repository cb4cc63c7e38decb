using P2PMesh.V1;

namespace P2PMesh.Core.Peers;

/// <summary>
/// A <see cref="PeerChannelPool"/> channel held for a long call: <see cref="PeerChannelPool.EvictIdle"/> leaves the channel
/// alone until the lease is disposed.
/// </summary>
public sealed class ChannelLease : IDisposable
{
    private Action? _release;

    internal ChannelLease(Peer.PeerClient client, Action release)
    {
        Client = client;
        _release = release;
    }

    /// <summary>The generated <c>p2pmesh.v1.Peer</c> client over the leased channel.</summary>
    public Peer.PeerClient Client { get; }

    /// <inheritdoc />
    public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke();
}
