using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using P2PMesh.Testing.V1;
using Xunit;

namespace P2PMesh.Testing.Contract;

/// <summary>
/// What the P2PMesh.Grpc client must get from any correct Echo server: every call kind, statuses
/// with non-ASCII messages, metadata both ways, deadlines, cancellation and limits. Run against this
/// project's server (P2PMesh.Grpc.Tests) and against grpc-js (tests/interop/P2PMesh.Interop.Tests):
/// the same assertions passing on both is the evidence that the two speak the same protocol.
/// </summary>
public abstract class EchoContractTests(IEchoTarget target)
{
    protected GrpcChannel Channel => target.Channel;

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
            // Each request is written only after its predecessor's reply arrived: impossible unless
            // both directions of the one HTTP/2 stream are open at once.
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
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"m{i}"), await Task.WhenAll(calls));
    }

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
    public async Task UnimplementedMethod_Unimplemented()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            await Channel.AsyncUnaryCall(EchoMethods.Unimplemented, new EchoRequest()));
        Assert.Equal(StatusCode.Unimplemented, ex.StatusCode);
    }

    [Fact]
    public async Task UnregisteredService_Unimplemented()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            await Channel.AsyncUnaryCall(EchoMethods.UnregisteredService, new EchoRequest()));
        Assert.Equal(StatusCode.Unimplemented, ex.StatusCode);
    }

    [Fact]
    public async Task RequestOverServerLimit_ResourceExhausted()
    {
        var request = new EchoRequest { Payload = ByteString.CopyFrom(new byte[5 * 1024 * 1024]) };
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await Channel.AsyncUnaryCall(EchoMethods.Unary, request));
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task Metadata_TextAndBinary_EchoedInHeadersAndTrailers()
    {
        var binary = new byte[] { 0, 1, 2, 255, 254 };
        var headers = new Metadata()
            .Add("x-echo-text", "hello world")
            .Add("x-echo-data-bin", binary)
            .Add("x-trailer-t", "t1")
            .Add("x-trailer-raw-bin", "ünïcödé"u8.ToArray());
        using var call = Channel.AsyncUnaryCall(EchoMethods.Unary, new EchoRequest(), new CallOptions(headers));
        await call;

        var responseHeaders = await call.ResponseHeadersAsync;
        Assert.Equal("hello world", responseHeaders.GetValue("x-echo-text"));
        Assert.Equal(binary, responseHeaders.GetValueBytes("x-echo-data-bin"));
        var trailers = call.GetTrailers();
        Assert.Equal("t1", trailers.GetValue("x-trailer-t"));
        Assert.Equal("ünïcödé"u8.ToArray(), trailers.GetValueBytes("x-trailer-raw-bin"));
        Assert.DoesNotContain(trailers, e => e.Key.StartsWith("grpc-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Metadata_OnErrorBeforeAnyMessage_TrailersDelivered()
    {
        var headers = new Metadata().Add("x-trailer-why", "because");
        using var call = Channel.AsyncUnaryCall(EchoMethods.Unary, new EchoRequest { FailCode = 9 }, new CallOptions(headers));
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await call);
        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
        Assert.Equal("because", ex.Trailers.GetValue("x-trailer-why"));
    }

    [Fact]
    public async Task Deadline_HandlerSlowerThanDeadline_DeadlineExceededAndHandlerCancelled()
    {
        var callId = Guid.NewGuid().ToString();
        var request = new EchoRequest { Delay = Duration.FromTimeSpan(TimeSpan.FromSeconds(30)), CallId = callId };
        var started = DateTime.UtcNow;

        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            await Channel.AsyncUnaryCall(EchoMethods.Unary, request, new CallOptions().WithTimeout(TimeSpan.FromMilliseconds(300))));

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
        // The client's timer and the server's race to end the call; either way the handler stops.
        Assert.Equal(CallOutcome.Types.State.Cancelled, (await OutcomeAsync(callId)).State);
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
        await WaitUntilRunningAsync(callId);
        cts.Cancel();

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await call);
        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
        var outcome = await OutcomeAsync(callId);
        Assert.Equal(CallOutcome.Types.State.Cancelled, outcome.State);
        Assert.False(outcome.DeadlineExceeded);
    }

    [Fact]
    public async Task Cancellation_DisposeDuplexCall_CallEndsCancelled()
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

    /// <summary>Waits until the server's handler for <paramref name="callId"/> has started.</summary>
    protected async Task WaitUntilRunningAsync(string callId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await Channel.AsyncUnaryCall(EchoMethods.GetCallOutcome, new CallOutcomeRequest { CallId = callId })).State != CallOutcome.Types.State.Running)
        {
            Assert.True(DateTime.UtcNow < deadline, $"call {callId} never started on the server");
            await Task.Delay(20);
        }
    }

    protected Task<CallOutcome> OutcomeAsync(string callId) =>
        Channel.AsyncUnaryCall(EchoMethods.GetCallOutcome,
            new CallOutcomeRequest { CallId = callId, Wait = Duration.FromTimeSpan(TimeSpan.FromSeconds(5)) }).ResponseAsync;
}
