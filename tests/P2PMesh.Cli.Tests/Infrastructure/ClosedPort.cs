using System.Net;
using System.Net.Sockets;

namespace P2PMesh.Cli.Tests.Infrastructure;

/// <summary>A loopback port nothing listens on (bound, read, closed).</summary>
internal static class ClosedPort
{
    public static int Next()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
