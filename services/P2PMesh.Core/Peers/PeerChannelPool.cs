using System.Collections.Concurrent;
using Grpc.Net.Client;
using P2PMesh.Contracts;
using P2PMesh.Contracts.Tls;
using P2PMesh.V1;

namespace P2PMesh.Core.Peers;

/// <summary>
/// One <see cref="GrpcChannel"/> per peer address (HTTP/2, see docs/architecture.md, The gRPC stack),
/// shared by every caller in the host (the flood, the neighbour maintenance, the download engine, the PClient-API),
/// so calls to the same peer multiplex over the same HTTP/2 connections. A channel nobody asked for during
/// <see cref="IdleTimeout"/> and nobody holds a <see cref="Lease"/> on is disposed by <see cref="EvictIdle"/>
/// (peers that left the mesh; <see cref="PeerChannelSweeper"/> calls it every minute), and every channel is disposed
/// with the host. Disposing a channel ends the calls still running on it: a call that may outlive
/// <see cref="IdleTimeout"/> without asking for its channel again (an upload's client stream) holds a lease.
/// With a <see cref="PeerTokenHolder"/>, every call carries its peer token (<see cref="BearerTokenHandler"/>); with an
/// enabled <see cref="MeshTls"/>, every channel is <c>https://</c> with this process's client certificate (docs/security.md, Transport).
/// </summary>
public sealed class PeerChannelPool(TimeProvider timeProvider, PeerTokenHolder? tokens = null, MeshTls? tls = null) : IDisposable
{
    /// <summary>How long an unused channel is kept: 5 minutes.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<PeerAddress, Entry> _channels = new();

    /// <summary>A pool on the system clock.</summary>
    public PeerChannelPool()
        : this(TimeProvider.System)
    {
    }

    /// <summary>The number of open channels.</summary>
    public int Count => _channels.Count;

    /// <summary>The generated <c>p2pmesh.v1.Peer</c> client (protos/p2pmesh/v1/peer.proto) for <paramref name="address"/>.</summary>
    public Peer.PeerClient Peer(PeerAddress address) => Use(address).Peer;

    /// <summary>The generated <c>p2pmesh.v1.Bootstrap</c> client (protos/p2pmesh/v1/bootstrap.proto) for <paramref name="address"/>.</summary>
    public Bootstrap.BootstrapClient Bootstrap(PeerAddress address) => Use(address).Bootstrap;

    /// <summary>
    /// The generated <c>p2pmesh.v1.PeerDirectory</c> client (protos/p2pmesh/v1/directory.proto) for <paramref name="address"/>
    /// (the directory is served by the Bootstrap process, so it usually shares the Bootstrap's channel).
    /// </summary>
    public PeerDirectory.PeerDirectoryClient Directory(PeerAddress address) => Use(address).Directory;

    /// <summary>The channel to <paramref name="address"/>, opened on first use.</summary>
    public GrpcChannel Channel(PeerAddress address) => Use(address).Channel;

    private Entry Use(PeerAddress address)
    {
        var entry = _channels.GetOrAdd(address, a => new Entry(GrpcChannel.ForAddress(Transport.UriOf(a), new GrpcChannelOptions
        {
            HttpHandler = WithToken(Handler(new SocketsHttpHandler
            {
                // Many concurrent streams to one peer (floods, chunk reads) may open more than one connection.
                EnableMultipleHttp2Connections = true,
                // Chunk streams carry 512 KiB messages: start each stream's receive window at 4 MiB instead of
                // 64 KiB, so a chunk is not throttled by WINDOW_UPDATE round trips while the window grows.
                InitialHttp2StreamWindowSize = 4 * 1024 * 1024,
                PooledConnectionIdleTimeout = IdleTimeout,
                KeepAlivePingDelay = TimeSpan.FromSeconds(60),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(20),
                ConnectTimeout = TimeSpan.FromSeconds(10),
            })),
            DisposeHttpClient = true,
        })));
        entry.LastUsed = timeProvider.GetTimestamp();
        return entry;
    }

    private MeshTls Transport => tls ?? MeshTls.Plaintext;

    private SocketsHttpHandler Handler(SocketsHttpHandler handler)
    {
        Transport.ConfigureClient(handler);
        return handler;
    }

    // Every call carries this process's peer token when it holds one (docs/security.md, Admission).
    private HttpMessageHandler WithToken(SocketsHttpHandler handler) =>
        tokens is null ? handler : new BearerTokenHandler(tokens) { InnerHandler = handler };

    /// <summary>
    /// The generated <c>p2pmesh.v1.Peer</c> client for <paramref name="address"/>, whose channel is not evicted until the
    /// returned lease is disposed.
    /// </summary>
    public ChannelLease Lease(PeerAddress address)
    {
        var entry = Use(address);
        Interlocked.Increment(ref entry.Leases);
        return new ChannelLease(entry.Peer, () => Interlocked.Decrement(ref entry.Leases));
    }

    /// <summary>Disposes the channels not asked for during <see cref="IdleTimeout"/> and not leased; returns how many.</summary>
    public int EvictIdle()
    {
        var evicted = 0;
        var now = timeProvider.GetTimestamp();
        foreach (var (address, entry) in _channels)
        {
            if (Volatile.Read(ref entry.Leases) == 0 && timeProvider.GetElapsedTime(entry.LastUsed, now) > IdleTimeout
                && _channels.TryRemove(new(address, entry)))
            {
                entry.Channel.Dispose();
                evicted++;
            }
        }
        return evicted;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var entry in _channels.Values)
        {
            entry.Channel.Dispose();
        }
        _channels.Clear();
    }

    /// <summary>A channel and the generated clients over it (built once: every call of the host goes through them).</summary>
    private sealed class Entry(GrpcChannel channel)
    {
#pragma warning disable CA1051 // Interlocked needs the fields.
        public int Leases;
#pragma warning restore CA1051

        public GrpcChannel Channel { get; } = channel;

        public Peer.PeerClient Peer { get; } = new(channel);

        public Bootstrap.BootstrapClient Bootstrap { get; } = new(channel);

        public PeerDirectory.PeerDirectoryClient Directory { get; } = new(channel);

        public long LastUsed { get; set; }
    }
}
