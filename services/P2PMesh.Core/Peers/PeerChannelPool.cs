using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using P2PMesh.Grpc;

namespace P2PMesh.Core.Peers;

/// <summary>
/// One <see cref="GrpcChannel"/> per peer address, shared by every caller, so calls to the same
/// peer multiplex over the same HTTP/2 connections. Calls get client spans from the host's
/// <see cref="GrpcTelemetry.ActivitySourceName"/> source when one was given. Disposed with the host.
/// </summary>
public sealed class PeerChannelPool : IDisposable
{
    private readonly ConcurrentDictionary<PeerAddress, GrpcChannel> _channels = new();
    private readonly ActivitySource? _activitySource;

    /// <summary>A pool whose calls create no client spans (the trace context is still propagated).</summary>
    public PeerChannelPool()
    {
    }

    /// <summary>A pool whose calls create client spans on <paramref name="activitySource"/> (the host's, see <see cref="GrpcTelemetry"/>).</summary>
    public PeerChannelPool([FromKeyedServices(GrpcTelemetry.ActivitySourceName)] ActivitySource activitySource) =>
        _activitySource = activitySource;

    /// <summary>The channel to <paramref name="address"/>.</summary>
    public GrpcChannel Get(PeerAddress address) =>
        _channels.GetOrAdd(address, static (a, source) => GrpcChannel.ForAddress(a.ToUri(), new GrpcChannelOptions { ActivitySource = source }), _activitySource);

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
