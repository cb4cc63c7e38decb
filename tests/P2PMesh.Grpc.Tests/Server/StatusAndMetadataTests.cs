using System.Text;
using P2PMesh.Grpc.Tests.Infrastructure;
using P2PMesh.Testing;
using P2PMesh.Testing.V1;

namespace P2PMesh.Grpc.Tests.Server;

/// <summary>Statuses, messages, headers and trailers, end to end.</summary>
public sealed class StatusAndMetadataTests(EchoServerFixture fixture) : IClassFixture<EchoServerFixture>
{
    private GrpcChannel Channel => fixture.Channel;

    [Theory]
    [InlineData(StatusCode.NotFound, "fichier introuvable — ファイル 🚫 100%")]
    [InlineData(StatusCode.InvalidArgument, "line1\nline2\ttab %41 not an escape")]
    [InlineData(StatusCode.DataLoss, "")]
    public async Task Unary_ErrorStatus_CodeAndMessageRoundTrip(StatusCode code, string message)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            await Channel.AsyncUnaryCall(EchoMethods.Unary, new EchoRequest { FailCode = (int)code, FailMessage = message }));
        Assert.Equal(code, ex.StatusCode);
        Assert.Equal(message, ex.Status.Detail);
    }

    [Fact]
    public async Task ServerStreaming_ErrorAfterReplies_RepliesThenStatus()
    {
        using var call = Channel.AsyncServerStreamingCall(EchoMethods.ServerStream,
            new EchoRequest { ReplyCount = 3, FailCode = (int)StatusCode.Aborted, FailMessage = "after", FailAfterReplies = true });
        var received = 0;
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var _ in call.ResponseStream)
            {
                received++;
            }
        });
        Assert.Equal(3, received);
        Assert.Equal(StatusCode.Aborted, ex.StatusCode);
        Assert.Equal("after", call.GetStatus().Detail);
    }

    [Fact]
    public async Task Metadata_TextAndBinary_EchoedInHeadersAndTrailers()
    {
        var binary = new byte[] { 0, 1, 2, 255, 254 };
        var headers = new Metadata()
            .Add("x-echo-text", "hello world")
            .Add("x-echo-data-bin", binary)
            .Add("x-trailer-t", "t1")
            .Add("x-trailer-raw-bin", Encoding.UTF8.GetBytes("ünïcödé"));
        using var call = Channel.AsyncUnaryCall(EchoMethods.Unary, new EchoRequest(), new CallOptions(headers));
        await call;

        var responseHeaders = await call.ResponseHeadersAsync;
        Assert.Equal("hello world", responseHeaders.GetValue("x-echo-text"));
        Assert.Equal(binary, responseHeaders.GetValueBytes("x-echo-data-bin"));
        var trailers = call.GetTrailers();
        Assert.Equal("t1", trailers.GetValue("x-trailer-t"));
        Assert.Equal("ünïcödé", Encoding.UTF8.GetString(trailers.GetValueBytes("x-trailer-raw-bin")!));
        Assert.DoesNotContain(trailers, e => e.Key.StartsWith("grpc-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Metadata_OnTrailersOnlyError_TrailersStillDelivered()
    {
        var headers = new Metadata().Add("x-trailer-why", "because");
        using var call = Channel.AsyncUnaryCall(EchoMethods.Unary, new EchoRequest { FailCode = 9 }, new CallOptions(headers));
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await call);
        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
        Assert.Equal("because", ex.Trailers.GetValue("x-trailer-why"));
    }

    [Fact]
    public async Task Metadata_BinaryKeyPaddedBase64FromPeer_Accepted()
    {
        // "AAEC/w==" is padded; the spec says receivers must accept padded and unpadded values.
        var response = await RawGrpc.SendAsync(fixture.Host.Address, "/p2pmesh.testing.v1.Echo/Unary", [RawGrpc.Frame(new EchoRequest())],
            headers: new Dictionary<string, string> { ["x-echo-a-bin"] = "AAEC/w==", ["x-echo-b-bin"] = "AAEC/w" });
        Assert.Equal("0", response.GrpcStatus);
        Assert.Equal("AAEC/w", response.Headers["x-echo-a-bin"]);   // sent back unpadded
        Assert.Equal("AAEC/w", response.Headers["x-echo-b-bin"]);
    }

    [Fact]
    public void Metadata_InvalidKeysAndValues_Rejected()
    {
        var metadata = new Metadata();
        Assert.Throws<ArgumentException>(() => metadata.Add("Bad Key", "v"));
        Assert.Throws<ArgumentException>(() => metadata.Add("x-bin", "text on a bin key"));
        Assert.Throws<ArgumentException>(() => metadata.Add("x-text", new byte[] { 1 }));
        Assert.Throws<ArgumentException>(() => metadata.Add("x-text", "new\nline"));
    }
}
