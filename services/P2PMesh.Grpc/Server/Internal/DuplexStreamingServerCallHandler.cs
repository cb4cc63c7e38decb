using System.Diagnostics;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace P2PMesh.Grpc.Server.Internal;

/// <summary>A stream each way; the handler reads and writes independently.</summary>
internal sealed class DuplexStreamingServerCallHandler<TService, TRequest, TResponse>(
    Method<TRequest, TResponse> method,
    Func<TService, IAsyncEnumerable<TRequest>, IServerStreamWriter<TResponse>, ServerCallContext, Task> invoker,
    GrpcServerOptions options,
    ILoggerFactory loggerFactory,
    TimeProvider timeProvider,
    ActivitySource? activitySource)
    : ServerCallHandler<TService, TRequest, TResponse>(method, options, loggerFactory, timeProvider, activitySource)
    where TService : class
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    protected override Task HandleCallCoreAsync(TService service, HttpContextServerCallContext context) =>
        invoker(service, ReadAllAsync(context), new HttpContextStreamWriter<TResponse>(context), context);
}
