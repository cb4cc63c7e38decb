using System.IO.Compression;
using Google.Protobuf;
using P2PMesh.Grpc.Tests.Infrastructure;
using P2PMesh.Testing;
using P2PMesh.Testing.V1;

namespace P2PMesh.Grpc.Tests.Framing;

/// <summary>
/// Framing edge cases against a real server over HTTP/2, with the request body cut into DATA frames
/// by hand (PROTOCOL-HTTP2.md, Requests and Responses).
/// </summary>
public sealed class WireFramingTests : IAsyncLifetime
{
    private const int Limit = 1024;
    private const string UnaryPath = "/p2pmesh.testing.v1.Echo/Unary";
    private EchoGrpcHost _host = null!;

    public async Task InitializeAsync() => _host = await EchoGrpcHost.StartAsync(o => o.MaxReceiveMessageSize = Limit);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Unary_MessageSplitIntoOneByteDataFrames_Succeeds()
    {
        var frame = RawGrpc.Frame(new EchoRequest { Message = "split" });
        var response = await RawGrpc.SendAsync(_host.Address, UnaryPath, frame.Select(b => new[] { b }));

        Assert.Equal("0", response.GrpcStatus);
        var reply = EchoReply.Parser.ParseFrom(Assert.Single(RawGrpc.ReadFrames(response.Body)).Payload);
        Assert.Equal("split", reply.Message);
    }

    [Fact]
    public async Task ClientStream_SeveralMessagesInOneDataFrame_AllRead()
    {
        var oneChunk = RawGrpc.Frame(new EchoRequest { Message = "a" })
            .Concat(RawGrpc.Frame(new EchoRequest { Message = "b" }))
            .Concat(RawGrpc.Frame(new EchoRequest { Message = "c" }).Take(3))
            .ToArray();
        var rest = RawGrpc.Frame(new EchoRequest { Message = "c" }).Skip(3).ToArray();
        var response = await RawGrpc.SendAsync(_host.Address, "/p2pmesh.testing.v1.Echo/ClientStream", [oneChunk, rest]);

        var reply = EchoReply.Parser.ParseFrom(Assert.Single(RawGrpc.ReadFrames(response.Body)).Payload);
        Assert.Equal("a,b,c", reply.Message);
        Assert.Equal(3, reply.Index);
    }

    [Fact]
    public async Task Unary_ZeroLengthMessage_IsTheDefaultRequest()
    {
        var response = await RawGrpc.SendAsync(_host.Address, UnaryPath, [RawGrpc.Frame([])]);

        Assert.Equal("0", response.GrpcStatus);
        var (flag, payload) = Assert.Single(RawGrpc.ReadFrames(response.Body));
        Assert.Equal(0, flag);
        Assert.Equal(new EchoReply { DeadlineRemainingMs = -1 }, EchoReply.Parser.ParseFrom(payload));
    }

    [Fact]
    public async Task Unary_MessageExactlyAtLimit_Accepted()
    {
        var request = RequestOfSize(Limit);
        var response = await RawGrpc.SendAsync(_host.Address, UnaryPath, [RawGrpc.Frame(request)]);
        Assert.Equal("0", response.GrpcStatus);
    }

    [Fact]
    public async Task Unary_MessageOneByteOverLimit_ResourceExhausted()
    {
        var request = RequestOfSize(Limit + 1);
        var response = await RawGrpc.SendAsync(_host.Address, UnaryPath, [RawGrpc.Frame(request)]);
        Assert.Equal("8", response.GrpcStatus);
        Assert.True(response.IsTrailersOnly);
    }

    [Fact]
    public async Task Unary_CompressedFlagWithoutEncoding_Internal()
    {
        var response = await RawGrpc.SendAsync(_host.Address, UnaryPath, [RawGrpc.Frame(new EchoRequest { Message = "x" }.ToByteArray(), flag: 1)]);
        Assert.Equal("13", response.GrpcStatus);
        Assert.Contains("compressed", response.GrpcMessage);
    }

    [Fact]
    public async Task Unary_InvalidCompressedFlag_Internal()
    {
        var response = await RawGrpc.SendAsync(_host.Address, UnaryPath, [RawGrpc.Frame(new EchoRequest().ToByteArray(), flag: 2)]);
        Assert.Equal("13", response.GrpcStatus);
        Assert.Contains("compressed flag", response.GrpcMessage);
    }

    [Fact]
    public async Task Unary_GzipCompressedMessage_Decoded()
    {
        var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            new EchoRequest { Message = "zipped" }.WriteTo(gzip);
        }
        var response = await RawGrpc.SendAsync(_host.Address, UnaryPath, [RawGrpc.Frame(compressed.ToArray(), flag: 1)],
            headers: new Dictionary<string, string> { ["grpc-encoding"] = "gzip" });

        Assert.Equal("0", response.GrpcStatus);
        Assert.Equal("zipped", EchoReply.Parser.ParseFrom(RawGrpc.ReadFrames(response.Body)[0].Payload).Message);
    }

    [Fact]
    public async Task Unary_GzipBombOverLimit_ResourceExhausted()
    {
        var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            new EchoRequest { Payload = ByteString.CopyFrom(new byte[1_000_000]) }.WriteTo(gzip);
        }
        Assert.True(compressed.Length < Limit);
        var response = await RawGrpc.SendAsync(_host.Address, UnaryPath, [RawGrpc.Frame(compressed.ToArray(), flag: 1)],
            headers: new Dictionary<string, string> { ["grpc-encoding"] = "gzip" });
        Assert.Equal("8", response.GrpcStatus);
    }

    [Fact]
    public async Task Unary_UnsupportedEncoding_UnimplementedWithAcceptEncoding()
    {
        var response = await RawGrpc.SendAsync(_host.Address, UnaryPath, [RawGrpc.Frame(new EchoRequest().ToByteArray(), flag: 1)],
            headers: new Dictionary<string, string> { ["grpc-encoding"] = "snappy" });
        Assert.Equal("12", response.GrpcStatus);
        Assert.Equal("identity,gzip", response.Headers["grpc-accept-encoding"]);
    }

    [Fact]
    public async Task Unary_TruncatedMessage_InternalWithClearMessage()
    {
        var frame = RawGrpc.Frame([1, 2, 3], declaredLength: 10);
        var response = await RawGrpc.SendAsync(_host.Address, UnaryPath, [frame]);
        Assert.Equal("13", response.GrpcStatus);
        Assert.Equal("Incomplete message: the stream ended after 8 of 5 + 10 bytes.", response.GrpcMessage);
    }

    [Fact]
    public async Task Unary_GarbageProtobuf_Internal()
    {
        var response = await RawGrpc.SendAsync(_host.Address, UnaryPath, [RawGrpc.Frame([0xFF, 0xFF, 0xFF, 0xFF])]);
        Assert.Equal("13", response.GrpcStatus);
        Assert.StartsWith("Failed to deserialize EchoRequest", response.GrpcMessage);
    }

    [Fact]
    public async Task Unary_NoMessage_Internal()
    {
        var response = await RawGrpc.SendAsync(_host.Address, UnaryPath, []);
        Assert.Equal("13", response.GrpcStatus);
    }

    [Fact]
    public async Task Unary_TwoMessages_Internal()
    {
        var frame = RawGrpc.Frame(new EchoRequest());
        var response = await RawGrpc.SendAsync(_host.Address, UnaryPath, [frame, frame]);
        Assert.Equal("13", response.GrpcStatus);
    }

    [Fact]
    public async Task NonGrpcContentType_Http415()
    {
        var response = await RawGrpc.SendAsync(_host.Address, UnaryPath, [RawGrpc.Frame(new EchoRequest())], contentType: "application/json");
        Assert.Equal(System.Net.HttpStatusCode.UnsupportedMediaType, response.HttpStatus);
    }

    [Theory]
    [InlineData("application/grpc+proto")]
    [InlineData("application/grpc; charset=utf-8")]
    public async Task GrpcContentTypeVariants_Accepted(string contentType)
    {
        var response = await RawGrpc.SendAsync(_host.Address, UnaryPath, [RawGrpc.Frame(new EchoRequest())], contentType: contentType);
        Assert.Equal("0", response.GrpcStatus);
    }

    [Theory]
    [InlineData("/p2pmesh.testing.v1.Echo/Nope", "Method is unimplemented.")]
    [InlineData("/no.such.Service/Call", "Service is unimplemented.")]
    public async Task UnknownMethod_UnimplementedTrailersOnly(string path, string message)
    {
        var response = await RawGrpc.SendAsync(_host.Address, path, [RawGrpc.Frame(new EchoRequest())]);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.HttpStatus);
        Assert.True(response.IsTrailersOnly);
        Assert.Equal("12", response.GrpcStatus);
        Assert.Equal(message, response.GrpcMessage);
    }

    [Fact]
    public async Task HandlerError_BeforeAnyMessage_IsTrailersOnly()
    {
        var response = await RawGrpc.SendAsync(_host.Address, UnaryPath, [RawGrpc.Frame(new EchoRequest { FailCode = 5, FailMessage = "gone" })]);
        Assert.True(response.IsTrailersOnly);
        Assert.Equal("application/grpc", response.Headers["content-type"]);
        Assert.Equal("5", response.GrpcStatus);
        Assert.Equal("gone", response.GrpcMessage);
    }

    [Fact]
    public async Task HandlerError_AfterMessages_StatusInTrailers()
    {
        var response = await RawGrpc.SendAsync(_host.Address, "/p2pmesh.testing.v1.Echo/ServerStream",
            [RawGrpc.Frame(new EchoRequest { ReplyCount = 2, FailCode = 10, FailAfterReplies = true })]);
        Assert.False(response.Headers.ContainsKey("grpc-status"));
        Assert.Equal("10", response.Trailers["grpc-status"]);
        Assert.Equal(2, RawGrpc.ReadFrames(response.Body).Count);
    }

    [Fact]
    public async Task NonAsciiStatusMessage_PercentEncodedOnTheWire()
    {
        var response = await RawGrpc.SendAsync(_host.Address, UnaryPath, [RawGrpc.Frame(new EchoRequest { FailCode = 3, FailMessage = "é 100%" })]);
        Assert.Equal("%C3%A9 100%25", response.GrpcMessage);
    }

    private static EchoRequest RequestOfSize(int size)
    {
        // Field 2 (bytes) costs a tag byte and a varint length; fill the rest with payload.
        var request = new EchoRequest { Payload = ByteString.CopyFrom(new byte[size - 3]) };
        Assert.Equal(size, request.CalculateSize());
        return request;
    }
}
