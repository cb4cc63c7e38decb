using Google.Protobuf.WellKnownTypes;
using P2PMesh.Grpc.Tests.Infrastructure;
using P2PMesh.Testing;
using P2PMesh.Testing.V1;

namespace P2PMesh.Grpc.Tests.Server;

/// <summary>The server enforcing <c>grpc-timeout</c> on its own (PROTOCOL-HTTP2.md, Requests: Timeout).</summary>
public sealed class ServerDeadlineTests(EchoServerFixture fixture) : IClassFixture<EchoServerFixture>
{
    [Fact]
    public async Task Deadline_NoClientTimer_ServerEndsCallAndFiresHandlerToken()
    {
        // A raw request with grpc-timeout and no client-side timer: the status must come from the server.
        var callId = Guid.NewGuid().ToString();
        var request = new EchoRequest { Delay = Duration.FromTimeSpan(TimeSpan.FromSeconds(30)), CallId = callId };
        var response = await RawGrpc.SendAsync(fixture.Host.Address, "/p2pmesh.testing.v1.Echo/Unary", [RawGrpc.Frame(request)],
            headers: new Dictionary<string, string> { ["grpc-timeout"] = "200m" });

        Assert.Equal("4", response.GrpcStatus);
        Assert.Equal("Deadline Exceeded", response.GrpcMessage);
        var outcome = await fixture.Channel.AsyncUnaryCall(EchoMethods.GetCallOutcome,
            new CallOutcomeRequest { CallId = callId, Wait = Duration.FromTimeSpan(TimeSpan.FromSeconds(5)) });
        Assert.Equal(CallOutcome.Types.State.Cancelled, outcome.State);
        Assert.True(outcome.DeadlineExceeded);
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("123456789S")]
    public async Task Deadline_MalformedTimeout_Ignored(string timeout)
    {
        var response = await RawGrpc.SendAsync(fixture.Host.Address, "/p2pmesh.testing.v1.Echo/Unary", [RawGrpc.Frame(new EchoRequest())],
            headers: new Dictionary<string, string> { ["grpc-timeout"] = timeout });
        Assert.Equal("0", response.GrpcStatus);
        Assert.Equal(-1, EchoReply.Parser.ParseFrom(RawGrpc.ReadFrames(response.Body)[0].Payload).DeadlineRemainingMs);
    }

    [Fact]
    public async Task Deadline_HugeTimeout_TreatedAsNone()
    {
        var response = await RawGrpc.SendAsync(fixture.Host.Address, "/p2pmesh.testing.v1.Echo/Unary", [RawGrpc.Frame(new EchoRequest())],
            headers: new Dictionary<string, string> { ["grpc-timeout"] = "99999999H" });
        Assert.Equal("0", response.GrpcStatus);
    }
}
