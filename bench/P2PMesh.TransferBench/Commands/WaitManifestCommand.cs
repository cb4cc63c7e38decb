using System.Diagnostics;
using P2PMesh.Bench.Shared;
using P2PMesh.Contracts;
using P2PMesh.Core.Peers;
using Grpc.Core;
using P2PMesh.V1;

namespace P2PMesh.TransferBench.Commands;

/// <summary>
/// <c>wait-manifest</c>: waits until a PServer serves the file, i.e. until its start-up scan has hashed
/// it, by calling <c>Peer.GetManifest</c> every 200 ms (NOT_FOUND and UNAVAILABLE mean "not yet").
/// With <c>--pid</c>, gives up as soon as that process has exited.
/// </summary>
internal static class WaitManifestCommand
{
    public static async Task<int> RunAsync(CommandArgs args)
    {
        var source = args.Required("source");
        var sha256 = args.Required("sha256");
        var pid = args.Int("pid", 0, min: 0);
        var timeout = TimeSpan.FromSeconds(args.Int("timeout-s", 900, min: 1));
        if (!PeerAddress.TryParse(source, out var address, out var error))
        {
            throw new ArgumentException($"--source: {error}");
        }
        using var channels = new PeerChannelPool();
        var peer = channels.Peer(address);
        var clock = Stopwatch.StartNew();
        string? lastError = null;
        while (clock.Elapsed < timeout)
        {
            if (pid > 0 && !ProcStats.IsAlive(pid))
            {
                Console.Error.WriteLine($"wait-manifest: process {pid} ({source}) has exited");
                return 1;
            }
            try
            {
                var manifest = await peer.GetManifestAsync(new GetManifestRequest { Sha256 = sha256 }, deadline: DateTime.UtcNow.AddSeconds(5));
                Console.WriteLine(Json.Serialize(new
                {
                    kind = "manifest",
                    source,
                    seconds = Math.Round(clock.Elapsed.TotalSeconds, 3),
                    size = manifest.Size,
                    chunk_size = manifest.ChunkSize,
                    chunks = manifest.ChunkSha256.Count,
                }));
                return 0;
            }
            catch (RpcException ex) when (ex.StatusCode is StatusCode.NotFound or StatusCode.Unavailable or StatusCode.DeadlineExceeded)
            {
                lastError = $"{ex.StatusCode}: {ex.Status.Detail}";
            }
            await Task.Delay(200);
        }
        Console.Error.WriteLine($"wait-manifest: {source} did not serve {sha256} within {timeout.TotalSeconds:F0} s (last: {lastError})");
        return 1;
    }
}
