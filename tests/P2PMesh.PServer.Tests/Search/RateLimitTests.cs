using System.Net;
using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using P2PMesh.V1;

namespace P2PMesh.PServer.Tests.Search;

/// <summary>
/// Per-caller rate limits on <c>Search</c> and <c>ReadChunks</c> (<c>Limits:*</c>, docs/security.md): past its burst a
/// caller gets RESOURCE_EXHAUSTED as a gRPC status (not an HTTP 429 the client would map to UNAVAILABLE), while another
/// caller (another source address) is still served.
/// </summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task Search_PastTheCallersBurst_ResourceExhausted_OtherCallersServed()
    {
        await using var host = await PServerHost.StartAsync("--Limits:SearchPerSecond=1", "--Limits:SearchBurst=2");

        var outcomes = new List<StatusCode>();
        for (var i = 0; i < 4; i++)
        {
            outcomes.Add(await SearchAsync(host.Client));
        }
        using var other = LoopbackSource.Channel(IPAddress.Parse("127.0.0.2"), host.Address);
        var fromOther = await SearchAsync(new Peer.PeerClient(other));

        Assert.Equal([StatusCode.OK, StatusCode.OK], outcomes.Take(2));
        Assert.Contains(StatusCode.ResourceExhausted, outcomes.Skip(2));
        Assert.Equal(StatusCode.OK, fromOther);
    }

    [Fact]
    public async Task ReadChunks_PastTheCallersBurst_ResourceExhaustedNamingTheLimit()
    {
        await using var host = await PServerHost.StartAsync("--Limits:ReadChunksPerSecond=1", "--Limits:ReadChunksBurst=1");
        var content = RandomNumberGenerator.GetBytes(1000);
        await host.AddFileAsync("f.bin", content);
        var request = new ReadChunksRequest { Sha256 = Convert.ToHexStringLower(SHA256.HashData(content)), Chunks = { 0 } };

        using (var first = host.Client.ReadChunks(request))
        {
            await foreach (var _ in first.ResponseStream.ReadAllAsync())
            {
            }
        }
        RpcException? refused = null;
        for (var i = 0; i < 3 && refused is null; i++)
        {
            try
            {
                using var call = host.Client.ReadChunks(request);
                await foreach (var _ in call.ResponseStream.ReadAllAsync())
                {
                }
            }
            catch (RpcException ex)
            {
                refused = ex;
            }
        }

        Assert.NotNull(refused);
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Contains("rate limit", refused.Status.Detail, StringComparison.Ordinal);
    }

    private static async Task<StatusCode> SearchAsync(Peer.PeerClient client)
    {
        try
        {
            using var call = client.Search(new SearchRequest { QueryId = ByteString.CopyFrom(RandomNumberGenerator.GetBytes(16)), Pattern = "*", Ttl = 1 });
            await foreach (var _ in call.ResponseStream.ReadAllAsync())
            {
            }
            return StatusCode.OK;
        }
        catch (RpcException ex)
        {
            return ex.StatusCode;
        }
    }
}
