using P2PMesh.Grpc.Tests.Infrastructure;
using P2PMesh.Testing;
using P2PMesh.Testing.V1;

namespace P2PMesh.Grpc.Tests.Server;

/// <summary>Server-side metadata handling seen on the wire, and metadata validation.</summary>
public sealed class MetadataTests(EchoServerFixture fixture) : IClassFixture<EchoServerFixture>
{
    [Fact]
    public async Task Metadata_BinaryKeyPaddedOrUnpaddedBase64FromPeer_AcceptedAndSentUnpadded()
    {
        // "AAEC/w==" is padded; receivers must accept padded and unpadded values (PROTOCOL-HTTP2.md).
        var response = await RawGrpc.SendAsync(fixture.Host.Address, "/p2pmesh.testing.v1.Echo/Unary", [RawGrpc.Frame(new EchoRequest())],
            headers: new Dictionary<string, string> { ["x-echo-a-bin"] = "AAEC/w==", ["x-echo-b-bin"] = "AAEC/w" });
        Assert.Equal("0", response.GrpcStatus);
        Assert.Equal("AAEC/w", response.Headers["x-echo-a-bin"]);
        Assert.Equal("AAEC/w", response.Headers["x-echo-b-bin"]);
    }

    [Fact]
    public async Task Metadata_InvalidBase64_Internal()
    {
        var response = await RawGrpc.SendAsync(fixture.Host.Address, "/p2pmesh.testing.v1.Echo/Unary", [RawGrpc.Frame(new EchoRequest())],
            headers: new Dictionary<string, string> { ["x-echo-a-bin"] = "A" });
        Assert.Equal("13", response.GrpcStatus);
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

    [Fact]
    public void AsyncUnaryCall_WithStreamingMethod_ArgumentException() =>
        Assert.Throws<ArgumentException>(() => fixture.Channel.AsyncUnaryCall(EchoMethods.ServerStream, new EchoRequest()));
}
