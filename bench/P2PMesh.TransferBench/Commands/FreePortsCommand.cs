using P2PMesh.Cli.LocalMesh;

namespace P2PMesh.TransferBench.Commands;

/// <summary><c>free-ports</c>: distinct ports the kernel hands out for 127.0.0.1:0, from the CLI launcher's <see cref="FreePorts"/>.</summary>
internal static class FreePortsCommand
{
    public static int Run(CommandArgs args)
    {
        var ports = new FreePorts();
        for (var i = args.Int("count", 1, min: 1); i > 0; i--)
        {
            Console.WriteLine(ports.Next());
        }
        return 0;
    }
}
