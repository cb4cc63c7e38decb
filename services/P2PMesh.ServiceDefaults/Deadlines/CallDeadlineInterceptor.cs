using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;

namespace P2PMesh.ServiceDefaults.Deadlines;

/// <summary>
/// Deadlines and cancellations of every call a service serves (docs/security.md, Limits), in place of grpc-dotnet's
/// own deadline handling (<see cref="GrpcTimeout.UseCallDeadlines"/> hands the deadline over):
/// <list type="bullet">
/// <item>The handler sees the deadline as <see cref="ServerCallContext.Deadline"/> and its
/// <see cref="ServerCallContext.CancellationToken"/> fires when it passes; the call then ends with DEADLINE_EXCEEDED in
/// its trailers, after whatever response data is already queued. grpc-dotnet would reset the stream instead, and a
/// client behind on reading would get RST_STREAM without a status. A reader that stalls for good is cut by Kestrel's
/// minimum response data rate (<see cref="KestrelLimits"/>).</item>
/// <item>A client that cancels or disconnects is logged at debug (one line, no stack trace) and the call ends
/// CANCELLED, instead of an error log with a stack trace per abandoned stream.</item>
/// </list>
/// </summary>
/// <remarks>Deadlines are wall-clock time, as <c>grpc-timeout</c> is: the system clock, never the host's
/// <see cref="TimeProvider"/> (tests drive that one by hand).</remarks>
public sealed partial class CallDeadlineInterceptor(ILogger<CallDeadlineInterceptor> logger) : Interceptor
{
    private const string HttpContextKey = "__HttpContext";

    /// <inheritdoc />
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation) =>
        RunAsync(context, inner => continuation(request, inner));

    /// <inheritdoc />
    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation) =>
        RunAsync(context, inner => continuation(requestStream, inner));

    /// <inheritdoc />
    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation) =>
        RunAsync(context, async inner =>
        {
            await continuation(request, new WholeMessageWriter<TResponse>(responseStream), inner).ConfigureAwait(false);
            return true;
        });

    /// <inheritdoc />
    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation) =>
        RunAsync(context, async inner =>
        {
            await continuation(requestStream, new WholeMessageWriter<TResponse>(responseStream), inner).ConfigureAwait(false);
            return true;
        });

    private async Task<T> RunAsync<T>(ServerCallContext context, Func<ServerCallContext, Task<T>> handler)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.GetHttpContext();
        // Without a deadline the handler gets the call's own context: no timer, no wrapper on the hot path.
        var inner = context;
        CancellationTokenSource? expiry = null;
        if (GrpcTimeout.DeadlineOf(http) is { } deadline)
        {
            var left = deadline - DateTime.UtcNow;
            expiry = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
            expiry.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.Zero);
            // GetHttpContext() on the wrapper finds the request through UserState (grpc-dotnet's documented key).
            context.UserState[HttpContextKey] = http;
            inner = new DeadlineCallContext(context, deadline, expiry.Token);
        }
        try
        {
            return await handler(inner).ConfigureAwait(false);
        }
        catch (Exception ex) when (context.CancellationToken.IsCancellationRequested && ex is not RpcException { StatusCode: not StatusCode.Cancelled })
        {
            // Whatever a handler throws once its client is gone (a cancelled read, a write to a finished request) is
            // the consequence of leaving, not a fault.
            Log.ClientLeft(logger, context.Method, ex.GetType().Name);
            throw new RpcException(new Status(StatusCode.Cancelled, "the client cancelled the call"));
        }
        catch (Exception ex) when (IsCancellation(ex) && expiry?.IsCancellationRequested == true)
        {
            Log.DeadlineReached(logger, context.Method);
            throw new RpcException(new Status(StatusCode.DeadlineExceeded, "the call's deadline passed"));
        }
        finally
        {
            expiry?.Dispose();
        }
    }

    /// <summary>
    /// Writes every message whole: grpc-dotnet resets the stream when a write's token fires mid-message (the frame
    /// cannot be finished), so the deadline is seen by the handler between messages, not inside a write. A client that
    /// leaves still ends a pending write (grpc-dotnet watches the request itself).
    /// </summary>
    private sealed class WholeMessageWriter<T>(IServerStreamWriter<T> inner) : IServerStreamWriter<T>
    {
        public WriteOptions? WriteOptions
        {
            get => inner.WriteOptions;
            set => inner.WriteOptions = value;
        }

        public Task WriteAsync(T message) => inner.WriteAsync(message);

        public Task WriteAsync(T message, CancellationToken cancellationToken) => inner.WriteAsync(message, CancellationToken.None);
    }

    private static bool IsCancellation(Exception ex) =>
        ex is OperationCanceledException or IOException || ex is RpcException { StatusCode: StatusCode.Cancelled };

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Debug, EventName = "ClientLeft", Message = "{Method}: the client cancelled or disconnected ({Reason}).")]
        public static partial void ClientLeft(ILogger logger, string method, string reason);

        [LoggerMessage(EventId = 2, Level = LogLevel.Debug, EventName = "DeadlineReached", Message = "{Method}: the deadline passed; the call ends DEADLINE_EXCEEDED.")]
        public static partial void DeadlineReached(ILogger logger, string method);
    }
}
