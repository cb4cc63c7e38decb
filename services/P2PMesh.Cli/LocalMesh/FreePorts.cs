using System.Net;
using System.Net.Sockets;

namespace P2PMesh.Cli.LocalMesh;

/// <summary>
/// Free loopback ports for the children: bind 127.0.0.1:0, read the port, close. Another process may take
/// the port before the child binds it (the launcher then restarts the child on a new one); this class
/// only makes sure it never hands out the same port twice.
/// </summary>
internal sealed class FreePorts
{
    private readonly HashSet<int> _issued = [];
    private readonly Lock _lock = new();

    public int Next()
    {
        lock (_lock)
        {
            while (true)
            {
                var port = Probe(0) ?? throw new InvalidOperationException("cannot bind 127.0.0.1:0 to find a free port.");
                if (_issued.Add(port))
                {
                    return port;
                }
            }
        }
    }

    /// <summary>Claims <paramref name="port"/> if it is free now and not yet handed out.</summary>
    public bool TryClaim(int port)
    {
        lock (_lock)
        {
            return !_issued.Contains(port) && Probe(port) == port && _issued.Add(port);
        }
    }

    private static int? Probe(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        catch (SocketException)
        {
            return null;
        }
        finally
        {
            listener.Stop();
        }
    }
}
