using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using P2PMesh.Testing.V1;
using Xunit;
using ReflectionV1 = Grpc.Reflection.V1;
using ReflectionV1Alpha = Grpc.Reflection.V1Alpha;

namespace P2PMesh.Testing.Contract;

/// <summary>
/// What a grpc-dotnet client (the generated <see cref="Echo.EchoClient"/> over a <see cref="GrpcChannel"/>, as the
/// product calls its peers) must get from a correct Echo server: every call kind, statuses with non-ASCII messages,
/// metadata both ways, deadlines, cancellation, the 4 MiB receive limit, health and reflection. Run against our
/// server as the product configures grpc-dotnet (<see cref="EchoGrpcHost"/>) and against grpc-js
/// (tests/interop/echo-server.js), both in tests/interop/P2PMesh.Interop.Tests: the same assertions passing on both
/// show that our configuration behaves as the reference implementation does.
/// </summary>
public abstract class EchoContractTests(IEchoTarget target)
{
    private readonly Echo.EchoClient _echo = new(target.Channel);

    /// <summary>The channel to the server under test.</summary>
    protected GrpcChannel Channel => target.Channel;

    /// <summary>The generated Echo client over <see cref="Channel"/>.</summary>
    protected Echo.EchoClient Client => _echo;

    [Fact]
    public async Task Unary_RoundTrip_PayloadByteIdentical()
    {
        var payload = ByteString.CopyFrom(EchoService.Pattern(100 * 1024));
        var reply = await Client.UnaryAsync(new EchoRequest { Message = "hi", Payload = payload });
        Assert.Equal("hi", reply.Message);
        Assert.Equal(payload, reply.Payload);
    }

    [Fact]
    public async Task ServerStreaming_FiftyReplies_InOrder()
    {
        using var call = Client.ServerStream(new EchoRequest { ReplyCount = 50 });
        var indices = new List<int>();
        await foreach (var reply in call.ResponseStream.ReadAllAsync())
        {
            indices.Add(reply.Index);
        }
        Assert.Equal(Enumerable.Range(0, 50), indices);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task ServerStreaming_ThreeOneMiBReplies_Intact()
    {
        using var call = Client.ServerStream(new EchoRequest { ReplyCount = 3, ReplySize = 1024 * 1024 });
        var expected = ByteString.CopyFrom(EchoService.Pattern(1024 * 1024));
        var count = 0;
        await foreach (var reply in call.ResponseStream.ReadAllAsync())
        {
            Assert.Equal(expected, reply.Payload);
            count++;
        }
        Assert.Equal(3, count);
    }

    [Fact]
    public async Task ClientStreaming_HundredMessages_JoinedAndCounted()
    {
        using var call = Client.ClientStream();
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
        using var call = Client.ClientStream();
        await call.RequestStream.CompleteAsync();
        Assert.Equal(0, (await call).Index);
    }

    [Fact]
    public async Task Duplex_PingPong_IsFullDuplex()
    {
        using var call = Client.Duplex();
        await using var replies = call.ResponseStream.ReadAllAsync().GetAsyncEnumerator();
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
            (await Client.UnaryAsync(new EchoRequest { Message = $"m{i}" })).Message);
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"m{i}"), await Task.WhenAll(calls));
    }

    [Theory]
    [InlineData(StatusCode.NotFound, "fichier introuvable — ファイル 🚫 100%")]
    [InlineData(StatusCode.InvalidArgument, "line1\nline2\ttab %41 not an escape")]
    [InlineData(StatusCode.DataLoss, "")]
    public async Task Unary_ErrorStatus_CodeAndMessageRoundTrip(StatusCode code, string message)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            await Client.UnaryAsync(new EchoRequest { FailCode = (int)code, FailMessage = message }));
        Assert.Equal(code, ex.StatusCode);
        Assert.Equal(message, ex.Status.Detail);
    }

    [Fact]
    public async Task ServerStreaming_ErrorAfterReplies_RepliesThenStatus()
    {
        using var call = Client.ServerStream(
            new EchoRequest { ReplyCount = 3, FailCode = (int)StatusCode.Aborted, FailMessage = "after", FailAfterReplies = true });
        var received = 0;
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var _ in call.ResponseStream.ReadAllAsync())
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
            await Client.UnimplementedAsync(new EchoRequest()));
        Assert.Equal(StatusCode.Unimplemented, ex.StatusCode);
    }

    [Fact]
    public async Task UnregisteredService_Unimplemented()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            await new UnregisteredService.UnregisteredServiceClient(Channel).UnimplementedAsync(new EchoRequest()));
        Assert.Equal(StatusCode.Unimplemented, ex.StatusCode);
    }

    [Fact]
    public async Task RequestOverServerLimit_ResourceExhausted()
    {
        var request = new EchoRequest { Payload = ByteString.CopyFrom(new byte[5 * 1024 * 1024]) };
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await Client.UnaryAsync(request));
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task Metadata_TextAndBinary_EchoedInHeadersAndTrailers()
    {
        var binary = new byte[] { 0, 1, 2, 255, 254 };
        var headers = new Metadata
        {
            { "x-echo-text", "hello world" },
            { "x-echo-data-bin", binary },
            { "x-trailer-t", "t1" },
            { "x-trailer-raw-bin", "ünïcödé"u8.ToArray() },
        };
        using var call = Client.UnaryAsync(new EchoRequest(), headers);
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
        var headers = new Metadata { { "x-trailer-why", "because" } };
        using var call = Client.UnaryAsync(new EchoRequest { FailCode = 9 }, headers);
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

        // 2 s, not less: with a shorter deadline a saturated CI machine once let it pass before the request reached the
        // handler (the server then refuses the call without running it, and there is no handler to cancel).
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            await Client.UnaryAsync(request, deadline: DateTime.UtcNow.AddSeconds(2)));

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(15));
        // The client's timer and the server's race to end the call; either way the handler stops.
        Assert.Equal(CallOutcome.Types.State.Cancelled, (await OutcomeAsync(callId)).State);
    }

    [Fact]
    public async Task Deadline_PropagatedToServer_RemainingTimeVisible()
    {
        var reply = await Client.UnaryAsync(new EchoRequest(), deadline: DateTime.UtcNow.AddSeconds(10));
        Assert.InRange(reply.DeadlineRemainingMs, 5_000, 10_000);
    }

    [Fact]
    public async Task Deadline_None_ServerSeesNone()
    {
        var reply = await Client.UnaryAsync(new EchoRequest());
        Assert.Equal(-1, reply.DeadlineRemainingMs);
    }

    [Fact]
    public async Task Deadline_AlreadyPassed_FailsWithoutSending()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            await Client.UnaryAsync(new EchoRequest(), deadline: DateTime.UtcNow.AddSeconds(-1)));
        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
    }

    [Fact]
    public async Task Deadline_ServerStreamingMidStream_DeadlineExceeded()
    {
        var request = new EchoRequest { ReplyCount = 1, Delay = Duration.FromTimeSpan(TimeSpan.FromSeconds(30)) };
        using var call = Client.ServerStream(request, deadline: DateTime.UtcNow.AddMilliseconds(200));
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var _ in call.ResponseStream.ReadAllAsync())
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
        using var call = Client.UnaryAsync(request, cancellationToken: cts.Token);
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
        var call = Client.Duplex();
        await call.RequestStream.WriteAsync(new EchoRequest { Message = "one" });
        await using (var replies = call.ResponseStream.ReadAllAsync().GetAsyncEnumerator())
        {
            Assert.True(await replies.MoveNextAsync());
        }
        call.Dispose();
        Assert.Equal(StatusCode.Cancelled, call.GetStatus().StatusCode);
        // grpc-dotnet refuses to write on a call that was disposed, whatever the server did.
        await Assert.ThrowsAsync<ObjectDisposedException>(() => call.RequestStream.WriteAsync(new EchoRequest()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("p2pmesh.testing.v1.Echo")]
    public async Task HealthCheck_OverallAndServedService_Serving(string service)
    {
        var reply = await new Health.HealthClient(Channel).CheckAsync(new HealthCheckRequest { Service = service });
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
    }

    [Fact]
    public async Task HealthCheck_UnknownService_NotFound()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            await new Health.HealthClient(Channel).CheckAsync(new HealthCheckRequest { Service = "no.such.Service" }));
        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }

    [Fact]
    public async Task Reflection_V1AndV1Alpha_ListEchoAndHealth()
    {
        var v1 = await ListServicesAsync(
            new ReflectionV1.ServerReflection.ServerReflectionClient(Channel).ServerReflectionInfo(),
            new ReflectionV1.ServerReflectionRequest { ListServices = "" },
            response => response.ListServicesResponse.Service.Select(s => s.Name));
        var v1Alpha = await ListServicesAsync(
            new ReflectionV1Alpha.ServerReflection.ServerReflectionClient(Channel).ServerReflectionInfo(),
            new ReflectionV1Alpha.ServerReflectionRequest { ListServices = "" },
            response => response.ListServicesResponse.Service.Select(s => s.Name));

        foreach (var names in new[] { v1, v1Alpha })
        {
            Assert.Contains(Echo.Descriptor.FullName, names);
            Assert.Contains(Health.Descriptor.FullName, names);
            // echo.proto declares UnregisteredService, but no server serves it.
            Assert.DoesNotContain(UnregisteredService.Descriptor.FullName, names);
        }
    }

    /// <summary>Sends one list_services request on a reflection stream and collects the names it answers.</summary>
    private static async Task<List<string>> ListServicesAsync<TRequest, TResponse>(
        AsyncDuplexStreamingCall<TRequest, TResponse> call, TRequest request, Func<TResponse, IEnumerable<string>> names)
    {
        using (call)
        {
            await call.RequestStream.WriteAsync(request);
            await call.RequestStream.CompleteAsync();
            var listed = new List<string>();
            await foreach (var response in call.ResponseStream.ReadAllAsync())
            {
                listed.AddRange(names(response));
            }
            return listed;
        }
    }

    /// <summary>Waits until the server's handler for <paramref name="callId"/> has started.</summary>
    protected async Task WaitUntilRunningAsync(string callId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await Client.GetCallOutcomeAsync(new CallOutcomeRequest { CallId = callId })).State != CallOutcome.Types.State.Running)
        {
            Assert.True(DateTime.UtcNow < deadline, $"call {callId} never started on the server");
            await Task.Delay(20);
        }
    }

    /// <summary>How the server's handler for <paramref name="callId"/> ended, waiting up to 5 s for it to end.</summary>
    protected Task<CallOutcome> OutcomeAsync(string callId) =>
        Client.GetCallOutcomeAsync(new CallOutcomeRequest { CallId = callId, Wait = Duration.FromTimeSpan(TimeSpan.FromSeconds(5)) }).ResponseAsync;
}
