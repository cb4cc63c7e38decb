using System.Diagnostics;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace P2PMesh.Grpc.Server.Internal;

/// <summary>One request in, a stream of responses out.</summary>
internal sealed class ServerStreamingServerCallHandler<TService, TRequest, TResponse>(
    Method<TRequest, TResponse> method,
    Func<TService, TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task> invoker,
    GrpcServerOptions options,
    ILoggerFactory loggerFactory,
    TimeProvider timeProvider,
    ActivitySource? activitySource)
    : ServerCallHandler<TService, TRequest, TResponse>(method, options, loggerFactory, timeProvider, activitySource)
    where TService : class
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    protected override async Task HandleCallCoreAsync(TService service, HttpContextServerCallContext context)
    {
        var request = await context.ReadSingleMessageAsync(Method.RequestParser).ConfigureAwait(false);
        await invoker(service, request, new HttpContextStreamWriter<TResponse>(context), context).ConfigureAwait(false);
    }
}
