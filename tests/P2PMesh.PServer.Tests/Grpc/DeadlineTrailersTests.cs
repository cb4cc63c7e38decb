using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using P2PMesh.V1;

namespace P2PMesh.PServer.Tests.Grpc;

/// <summary>
/// A deadline (<c>grpc-timeout</c>) that fires after the response has started ends the stream with trailers carrying
/// DEADLINE_EXCEEDED, not a bare RST_STREAM(INTERNAL_ERROR); a client that walks away is logged at debug, not as a
/// failure with a stack trace (issue 13's defects). Driven by a raw HTTP/2 client that sends <c>grpc-timeout</c> but
/// does not enforce it (grpc-dotnet's client would end the call itself), and reads the response slowly.
/// </summary>
public sealed class DeadlineTrailersTests
{
    [Fact]
    public async Task ReadChunks_DeadlineFiresMidResponse_TrailersSayDeadlineExceeded()
    {
        await using var host = await PServerHost.StartAsync();
        var content = RandomNumberGenerator.GetBytes(32 * 1024 * 1024);
        await host.AddFileAsync("big.bin", content);
        var request = new ReadChunksRequest { Sha256 = Convert.ToHexStringLower(SHA256.HashData(content)) };
        request.Ranges.Add(new ByteRange { Offset = 0, Length = (ulong)content.Length });

        using var http = new HttpClient(new SocketsHttpHandler { InitialHttp2StreamWindowSize = 65535 });
        using var message = Call(host.Address, "/p2pmesh.v1.Peer/ReadChunks", request, "1S");
        using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[16 * 1024];
        long read = 0;
        while (true)
        {
            var n = await body.ReadAsync(buffer);
            if (n == 0)
            {
                break;
            }
            read += n;
            await Task.Delay(5);
        }

        Assert.True(read < content.Length, $"read {read} bytes: the deadline should have cut the stream");
        Assert.Equal("4", Assert.Single(response.TrailingHeaders.GetValues("grpc-status")));
    }

    [Fact]
    public async Task ReadChunks_ClientWalksAwayMidStream_LoggedAtDebugWithoutStackTrace()
    {
        await using var host = await PServerHost.StartAsync([], configureBuilder: b =>
        {
            b.Logging.AddFilter("P2PMesh", LogLevel.Debug);
            b.Logging.AddFakeLogging();
        });
        var logs = host.Services.GetRequiredService<FakeLogCollector>();
        var content = RandomNumberGenerator.GetBytes(16 * 1024 * 1024);
        await host.AddFileAsync("big.bin", content);
        var request = new ReadChunksRequest { Sha256 = Convert.ToHexStringLower(SHA256.HashData(content)) };
        request.Ranges.Add(new ByteRange { Offset = 0, Length = (ulong)content.Length });

        for (var i = 0; i < 3; i++)
        {
            using var cancel = new CancellationTokenSource();
            using var call = host.Client.ReadChunks(request, cancellationToken: cancel.Token);
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            await cancel.CancelAsync();
        }
        // Each abandoned stream is seen as a client that left (give the last one time to notice; a stream the server
        // had finished writing before the reset arrived would not be one, hence at least one).
        await PollAsync(() => logs.GetSnapshot().Count(r => r.Id.Name == "ClientLeft") == 3);
        var left = logs.GetSnapshot().Any(r => r.Id.Name == "ClientLeft");

        Assert.True(left, string.Join(Environment.NewLine, logs.GetSnapshot().Where(r => !r.Category!.StartsWith("Microsoft.Hosting", StringComparison.Ordinal)).Select(r => $"{r.Level} {r.Category} {r.Id.Name} {r.Message} {r.Exception?.GetType().Name}")));
        // What the calls log (gRPC, Kestrel, the interceptor), not the host's start-up (its readiness check while scanning).
        var loud = logs.GetSnapshot().Where(r => r.Level >= LogLevel.Warning && !r.Category!.StartsWith("Microsoft.Extensions.Diagnostics.HealthChecks", StringComparison.Ordinal)).Select(r => $"{r.Level} {r.Category}: {r.Message} {r.Exception}").ToList();
        Assert.True(loud.Count == 0, string.Join(Environment.NewLine, loud));
        Assert.All(logs.GetSnapshot().Where(r => r.Id.Name == "ClientLeft"), r => Assert.Null(r.Exception));
    }

    private static async Task<bool> PollAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(100);
        }
        return condition();
    }

    private static HttpRequestMessage Call(Uri address, string path, IMessage request, string timeout)
    {
        var payload = request.ToByteArray();
        var framed = new byte[5 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(framed.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(framed, 5);
        var message = new HttpRequestMessage(HttpMethod.Post, new Uri(address, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(framed),
        };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        message.Headers.TryAddWithoutValidation("te", "trailers");
        message.Headers.TryAddWithoutValidation("grpc-timeout", timeout);
        return message;
    }
}
