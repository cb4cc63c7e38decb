using System.Collections.Concurrent;
using P2PMesh.Grpc;

namespace P2PMesh.Core.Peers;

/// <summary>
/// One <see cref="GrpcChannel"/> per peer address, shared by every caller, so calls to the same
/// peer multiplex over the same HTTP/2 connections. Disposed with the host.
/// </summary>
public sealed class PeerChannelPool : IDisposable
{
    private readonly ConcurrentDictionary<PeerAddress, GrpcChannel> _channels = new();

    /// <summary>The channel to <paramref name="address"/>.</summary>
    public GrpcChannel Get(PeerAddress address) =>
        _channels.GetOrAdd(address, static a => GrpcChannel.ForAddress(a.ToUri()));

    /// <summary>Closes the channel to <paramref name="address"/> (e.g. a peer that left).</summary>
    public void Close(PeerAddress address)
    {
        if (_channels.TryRemove(address, out var channel))
        {
            channel.Dispose();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var channel in _channels.Values)
        {
            channel.Dispose();
        }
        _channels.Clear();
    }
}
