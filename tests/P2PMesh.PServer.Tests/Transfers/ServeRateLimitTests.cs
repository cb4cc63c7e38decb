using System.Diagnostics;
using System.Security.Cryptography;
using Grpc.Core;
using P2PMesh.V1;

namespace P2PMesh.PServer.Tests.Transfers;

/// <summary>
/// <c>Transfers:MaxServeBytesPerSecond</c> on a real PServer: the cap holds over all ReadChunks calls together, the
/// bytes are still exact, and no cap (the default) means no wait. The assertions are lower bounds on time (the token
/// bucket cannot refill faster), which a slow machine only makes easier to meet.
/// </summary>
public sealed class ServeRateLimitTests
{
    private const int MiB = 1024 * 1024;

    [Fact]
    public async Task ReadChunks_WithACap_TwoConcurrentCallsTogetherServeNoFasterThanTheCap_BytesExact()
    {
        // 2 MiB/s, one second's worth in the bucket at start: 6 MiB over two calls needs at least 2 s of refill.
        await using var host = await PServerHost.StartAsync(["--Transfers:MaxServeBytesPerSecond=2097152"]);
        var content = RandomNumberGenerator.GetBytes(3 * MiB);
        await host.AddFileAsync("capped.bin", content);
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));

        var clock = Stopwatch.StartNew();
        var both = await Task.WhenAll(ReadAllAsync(host, sha), ReadAllAsync(host, sha));
        clock.Stop();

        Assert.All(both, bytes => Assert.Equal(content, bytes));
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.9), $"6 MiB at a 2 MiB/s cap took {clock.Elapsed.TotalSeconds:0.00} s");
    }

    [Fact]
    public async Task ReadChunks_CancelledWhileWaitingForTheCap_EndsCancelled_TheNextCallIsServed()
    {
        await using var host = await PServerHost.StartAsync(["--Transfers:MaxServeBytesPerSecond=1048576"]);
        var content = RandomNumberGenerator.GetBytes(4 * MiB);
        await host.AddFileAsync("slow.bin", content);
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));

        var error = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync(host, sha, DateTime.UtcNow.AddMilliseconds(1500)));
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        var chunk = new List<byte>();
        using var call = host.Client.ReadChunks(new ReadChunksRequest { Sha256 = sha, Ranges = { new ByteRange { Offset = 0, Length = 1000 } } });
        await foreach (var part in call.ResponseStream.ReadAllAsync())
        {
            chunk.AddRange(part.Data);
        }
        Assert.Equal(content[..1000], chunk.ToArray());
    }

    private static async Task<byte[]> ReadAllAsync(PServerHost host, string sha, DateTime? deadline = null)
    {
        using var call = host.Client.ReadChunks(new ReadChunksRequest { Sha256 = sha, Ranges = { new ByteRange { Offset = 0, Length = 3 * MiB } } }, deadline: deadline);
        var bytes = new MemoryStream();
        await foreach (var part in call.ResponseStream.ReadAllAsync())
        {
            part.Data.WriteTo(bytes);
        }
        return bytes.ToArray();
    }
}
