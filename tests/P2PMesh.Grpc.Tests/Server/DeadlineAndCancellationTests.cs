using System.Diagnostics;
using Google.Protobuf.WellKnownTypes;
using P2PMesh.Grpc.Tests.Infrastructure;
using P2PMesh.Testing;
using P2PMesh.Testing.V1;

namespace P2PMesh.Grpc.Tests.Server;

/// <summary><c>grpc-timeout</c> both ways, and cancellation reaching the server's handler.</summary>
public sealed class DeadlineAndCancellationTests(EchoServerFixture fixture) : IClassFixture<EchoServerFixture>
{
    private GrpcChannel Channel => fixture.Channel;

    [Fact]
    public async Task Deadline_HandlerSlowerThanDeadline_DeadlineExceededAndHandlerCancelled()
    {
        var callId = Guid.NewGuid().ToString();
        var request = new EchoRequest { Delay = Duration.FromTimeSpan(TimeSpan.FromSeconds(30)), CallId = callId };
        var stopwatch = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            await Channel.AsyncUnaryCall(EchoMethods.Unary, request, new CallOptions().WithTimeout(TimeSpan.FromMilliseconds(300))));

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"took {stopwatch.Elapsed}");
        // The client's own timer and the server's race to end the call; either way the handler stops.
        Assert.Equal(CallOutcome.Types.State.Cancelled, (await Outcome(callId)).State);
    }

    [Fact]
    public async Task Deadline_ServerEnforcesItWithoutClientTimer_DeadlineExceededFromServer()
    {
        // A raw request with grpc-timeout and no client-side timer: the status must come from the server.
        var callId = Guid.NewGuid().ToString();
        var request = new EchoRequest { Delay = Duration.FromTimeSpan(TimeSpan.FromSeconds(30)), CallId = callId };
        var response = await RawGrpc.SendAsync(fixture.Host.Address, "/p2pmesh.testing.v1.Echo/Unary", [RawGrpc.Frame(request)],
            headers: new Dictionary<string, string> { ["grpc-timeout"] = "200m" });

        Assert.Equal("4", response.GrpcStatus);
        Assert.Equal("Deadline Exceeded", response.GrpcMessage);
        var outcome = await Outcome(callId);
        Assert.Equal(CallOutcome.Types.State.Cancelled, outcome.State);
        Assert.True(outcome.DeadlineExceeded);   // the handler's token fired at the deadline
    }

    [Fact]
    public async Task Deadline_PropagatedToServer_RemainingTimeVisible()
    {
        var reply = await Channel.AsyncUnaryCall(EchoMethods.Unary, new EchoRequest(), new CallOptions().WithTimeout(TimeSpan.FromSeconds(10)));
        Assert.InRange(reply.DeadlineRemainingMs, 5_000, 10_000);
    }

    [Fact]
    public async Task Deadline_None_ServerSeesNone()
    {
        var reply = await Channel.AsyncUnaryCall(EchoMethods.Unary, new EchoRequest());
        Assert.Equal(-1, reply.DeadlineRemainingMs);
    }

    [Fact]
    public async Task Deadline_AlreadyPassed_FailsWithoutSending()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            await Channel.AsyncUnaryCall(EchoMethods.Unary, new EchoRequest(), new CallOptions(Deadline: DateTime.UtcNow.AddSeconds(-1))));
        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
    }

    [Fact]
    public async Task Deadline_ServerStreamingMidStream_DeadlineExceeded()
    {
        var request = new EchoRequest { ReplyCount = 1, Delay = Duration.FromTimeSpan(TimeSpan.FromSeconds(30)) };
        using var call = Channel.AsyncServerStreamingCall(EchoMethods.ServerStream, request, new CallOptions().WithTimeout(TimeSpan.FromMilliseconds(200)));
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var _ in call.ResponseStream)
            {
            }
        });
        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
    }

    [Fact]
    public async Task Cancellation_ClientCancels_CancelledAndServerHandlerSawIt()
    {
        var callId = Guid.NewGuid().ToString();
        using var cts = new CancellationTokenSource();
        var request = new EchoRequest { Delay = Duration.FromTimeSpan(TimeSpan.FromSeconds(30)), CallId = callId };
        using var call = Channel.AsyncUnaryCall(EchoMethods.Unary, request, new CallOptions(CancellationToken: cts.Token));
        await Task.Delay(200);
        cts.Cancel();

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await call);
        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
        var outcome = await Outcome(callId);
        Assert.Equal(CallOutcome.Types.State.Cancelled, outcome.State);
        Assert.False(outcome.DeadlineExceeded);
    }

    [Fact]
    public async Task Cancellation_DisposeDuplexCall_ServerHandlerEnds()
    {
        var call = Channel.AsyncDuplexStreamingCall(EchoMethods.Duplex);
        await call.RequestStream.WriteAsync(new EchoRequest { Message = "one" });
        await using (var replies = call.ResponseStream.GetAsyncEnumerator())
        {
            Assert.True(await replies.MoveNextAsync());
        }
        call.Dispose();
        Assert.Equal(StatusCode.Cancelled, call.GetStatus().StatusCode);
        await Assert.ThrowsAsync<RpcException>(() => call.RequestStream.WriteAsync(new EchoRequest()));
    }

    private Task<CallOutcome> Outcome(string callId) =>
        Channel.AsyncUnaryCall(EchoMethods.GetCallOutcome, new CallOutcomeRequest { CallId = callId, Wait = Duration.FromTimeSpan(TimeSpan.FromSeconds(5)) }).ResponseAsync;
}
