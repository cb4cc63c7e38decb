using Google.Protobuf;
using P2PMesh.Grpc.Tests.Infrastructure;
using P2PMesh.Testing;
using P2PMesh.Testing.V1;

namespace P2PMesh.Grpc.Tests.Server;

/// <summary>Every call kind, this client against this server, over real HTTP/2 on loopback.</summary>
public sealed class CallKindTests(EchoServerFixture fixture) : IClassFixture<EchoServerFixture>
{
    private GrpcChannel Channel => fixture.Channel;

    [Fact]
    public async Task Unary_RoundTrip_PayloadByteIdentical()
    {
        var payload = ByteString.CopyFrom(EchoService.Pattern(100 * 1024));
        var reply = await Channel.AsyncUnaryCall(EchoMethods.Unary, new EchoRequest { Message = "hi", Payload = payload });
        Assert.Equal("hi", reply.Message);
        Assert.Equal(payload, reply.Payload);
    }

    [Fact]
    public async Task ServerStreaming_FiftyReplies_InOrder()
    {
        using var call = Channel.AsyncServerStreamingCall(EchoMethods.ServerStream, new EchoRequest { ReplyCount = 50 });
        var indices = new List<int>();
        await foreach (var reply in call.ResponseStream)
        {
            indices.Add(reply.Index);
        }
        Assert.Equal(Enumerable.Range(0, 50), indices);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task ServerStreaming_ThreeOneMiBReplies_Intact()
    {
        using var call = Channel.AsyncServerStreamingCall(EchoMethods.ServerStream, new EchoRequest { ReplyCount = 3, ReplySize = 1024 * 1024 });
        var expected = ByteString.CopyFrom(EchoService.Pattern(1024 * 1024));
        var count = 0;
        await foreach (var reply in call.ResponseStream)
        {
            Assert.Equal(expected, reply.Payload);
            count++;
        }
        Assert.Equal(3, count);
    }

    [Fact]
    public async Task ClientStreaming_HundredMessages_JoinedAndCounted()
    {
        using var call = Channel.AsyncClientStreamingCall(EchoMethods.ClientStream);
        for (var i = 0; i < 100; i++)
        {
            await call.RequestStream.WriteAsync(new EchoRequest { Message = i.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }
        await call.RequestStream.CompleteAsync();
        var reply = await call;
        Assert.Equal(100, reply.Index);
        Assert.Equal(string.Join(",", Enumerable.Range(0, 100)), reply.Message);
    }

    [Fact]
    public async Task ClientStreaming_NoMessages_ReplyCountsZero()
    {
        using var call = Channel.AsyncClientStreamingCall(EchoMethods.ClientStream);
        await call.RequestStream.CompleteAsync();
        Assert.Equal(0, (await call).Index);
    }

    [Fact]
    public async Task Duplex_PingPong_IsFullDuplex()
    {
        using var call = Channel.AsyncDuplexStreamingCall(EchoMethods.Duplex);
        await using var replies = call.ResponseStream.GetAsyncEnumerator();
        for (var i = 0; i < 20; i++)
        {
            // The next request is only written after its predecessor's reply arrived: impossible
            // unless both directions are open at once.
            await call.RequestStream.WriteAsync(new EchoRequest { Message = $"ping {i}" });
            Assert.True(await replies.MoveNextAsync());
            Assert.Equal($"ping {i}", replies.Current.Message);
            Assert.Equal(i, replies.Current.Index);
        }
        await call.RequestStream.CompleteAsync();
        Assert.False(await replies.MoveNextAsync());
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task ManyConcurrentCalls_AllSucceed()
    {
        var calls = Enumerable.Range(0, 200).Select(async i =>
            (await Channel.AsyncUnaryCall(EchoMethods.Unary, new EchoRequest { Message = $"m{i}" })).Message);
        var results = await Task.WhenAll(calls);
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"m{i}"), results);
    }

    [Fact]
    public void AsyncUnaryCall_WithStreamingMethod_ArgumentException()
    {
        Assert.Throws<ArgumentException>(() => Channel.AsyncUnaryCall(EchoMethods.ServerStream, new EchoRequest()));
    }
}
