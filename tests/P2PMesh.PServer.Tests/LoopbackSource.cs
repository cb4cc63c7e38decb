using System.Net;
using System.Net.Sockets;
using Grpc.Net.Client;

namespace P2PMesh.PServer.Tests;

/// <summary>
/// gRPC channels whose connections leave from a chosen loopback address (127.0.0.2, 127.0.0.3, …), so one machine can
/// stand for callers on different hosts: the server sees that address as the caller's IP. Loopback only.
/// </summary>
internal static class LoopbackSource
{
    /// <summary>A channel to <paramref name="server"/> whose sockets bind <paramref name="local"/> before connecting.</summary>
    public static GrpcChannel Channel(IPAddress local, Uri server) =>
        GrpcChannel.ForAddress(server, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                ConnectCallback = async (context, cancellationToken) =>
                {
                    var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    try
                    {
                        socket.Bind(new IPEndPoint(local, 0));
                        await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                        return new NetworkStream(socket, ownsSocket: true);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                },
            },
        });
}
