using Google.Protobuf;
using Grpc.Core;
using P2PMesh.Testing.V1;

namespace P2PMesh.Testing;

/// <summary>
/// The C# implementation of <c>p2pmesh.testing.v1.Echo</c> (tests/protos/p2pmesh/testing/v1/echo.proto) on its
/// generated base; tests/interop/echo-server.js is the grpc-js twin that behaves the same. <c>Echo.Unimplemented</c>
/// is left to the base, which answers UNIMPLEMENTED.
/// </summary>
public sealed class EchoService(CallOutcomeRegistry outcomes, TimeProvider timeProvider) : Echo.EchoBase
{
    /// <summary>Replies once with the request's message and payload.</summary>
    public override async Task<EchoReply> Unary(EchoRequest request, ServerCallContext context)
    {
        using var _ = outcomes.Track(request.CallId, context);
        await EchoMetadataAsync(context).ConfigureAwait(false);
        await DelayAsync(request, context).ConfigureAwait(false);
        ThrowIfAsked(request);
        return Reply(request, 0, context);
    }

    /// <summary>Replies <c>reply_count</c> times; fails before or after the replies when asked.</summary>
    public override async Task ServerStream(EchoRequest request, IServerStreamWriter<EchoReply> responseStream, ServerCallContext context)
    {
        using var _ = outcomes.Track(request.CallId, context);
        await EchoMetadataAsync(context).ConfigureAwait(false);
        await DelayAsync(request, context).ConfigureAwait(false);
        if (!request.FailAfterReplies)
        {
            ThrowIfAsked(request);
        }
        var count = Math.Max(1, request.ReplyCount);
        for (var i = 0; i < count; i++)
        {
            await responseStream.WriteAsync(Reply(request, i, context), context.CancellationToken).ConfigureAwait(false);
        }
        ThrowIfAsked(request);
    }

    /// <summary>Joins every request's message with ","; index = number of requests.</summary>
    public override async Task<EchoReply> ClientStream(IAsyncStreamReader<EchoRequest> requestStream, ServerCallContext context)
    {
        await EchoMetadataAsync(context).ConfigureAwait(false);
        var messages = new List<string>();
        EchoRequest? last = null;
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken).ConfigureAwait(false))
        {
            messages.Add(request.Message);
            last = request;
            ThrowIfAsked(request);
        }
        return new EchoReply
        {
            Message = string.Join(",", messages),
            Payload = last?.Payload ?? ByteString.Empty,
            Index = messages.Count,
            DeadlineRemainingMs = RemainingMs(context),
        };
    }

    /// <summary>Replies to each request as it arrives.</summary>
    public override async Task Duplex(IAsyncStreamReader<EchoRequest> requestStream, IServerStreamWriter<EchoReply> responseStream, ServerCallContext context)
    {
        await EchoMetadataAsync(context).ConfigureAwait(false);
        var index = 0;
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken).ConfigureAwait(false))
        {
            await DelayAsync(request, context).ConfigureAwait(false);
            ThrowIfAsked(request);
            await responseStream.WriteAsync(Reply(request, index++, context), context.CancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>How a named call ended, as its handler saw it.</summary>
    public override Task<CallOutcome> GetCallOutcome(CallOutcomeRequest request, ServerCallContext context) =>
        outcomes.GetAsync(request.CallId, request.Wait?.ToTimeSpan() ?? TimeSpan.Zero, context.CancellationToken);

    private static async Task EchoMetadataAsync(ServerCallContext context)
    {
        var headers = new Metadata();
        foreach (var entry in context.RequestHeaders)
        {
            if (entry.Key.StartsWith("x-echo-", StringComparison.Ordinal))
            {
                headers.Add(entry);
            }
            else if (entry.Key.StartsWith("x-trailer-", StringComparison.Ordinal))
            {
                context.ResponseTrailers.Add(entry);
            }
        }
        if (headers.Count > 0)
        {
            await context.WriteResponseHeadersAsync(headers).ConfigureAwait(false);
        }
    }

    private Task DelayAsync(EchoRequest request, ServerCallContext context) =>
        request.Delay is { } delay && delay.ToTimeSpan() > TimeSpan.Zero
            ? Task.Delay(delay.ToTimeSpan(), timeProvider, context.CancellationToken)
            : Task.CompletedTask;

    private static void ThrowIfAsked(EchoRequest request)
    {
        if (request.FailCode != 0)
        {
            throw new RpcException(new Status((StatusCode)request.FailCode, request.FailMessage));
        }
    }

    private static EchoReply Reply(EchoRequest request, int index, ServerCallContext context) => new()
    {
        Message = request.Message,
        Payload = request.ReplySize > 0 ? ByteString.CopyFrom(Pattern(request.ReplySize)) : request.Payload,
        Index = index,
        DeadlineRemainingMs = RemainingMs(context),
    };

    private static long RemainingMs(ServerCallContext context) =>
        context.Deadline == DateTime.MaxValue ? -1 : (long)(context.Deadline - DateTime.UtcNow).TotalMilliseconds;

    /// <summary>Deterministic payload bytes: byte i is i mod 251 (the same in echo-server.js).</summary>
    public static byte[] Pattern(int size)
    {
        var bytes = new byte[size];
        for (var i = 0; i < size; i++)
        {
            bytes[i] = (byte)(i % 251);
        }
        return bytes;
    }
}
