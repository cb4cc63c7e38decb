using System.Net;
using System.Net.Sockets;

namespace P2PMesh.TransferBench.Commands;

/// <summary><c>free-ports</c>: ports the kernel hands out for 127.0.0.1:0, all held open together so they differ.</summary>
internal static class FreePortsCommand
{
    public static int Run(CommandArgs args)
    {
        var listeners = Enumerable.Range(0, args.Int("count", 1, min: 1)).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            foreach (var listener in listeners)
            {
                listener.Start();
            }
            foreach (var listener in listeners)
            {
                Console.WriteLine(((IPEndPoint)listener.LocalEndpoint).Port);
            }
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Dispose();
            }
        }
        return 0;
    }
}
