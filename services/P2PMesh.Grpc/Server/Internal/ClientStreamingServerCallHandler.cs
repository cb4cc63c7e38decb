using System.Diagnostics;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace P2PMesh.Grpc.Server.Internal;

/// <summary>A stream of requests in, one response out.</summary>
internal sealed class ClientStreamingServerCallHandler<TService, TRequest, TResponse>(
    Method<TRequest, TResponse> method,
    Func<TService, IAsyncEnumerable<TRequest>, ServerCallContext, Task<TResponse>> invoker,
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
        var response = await invoker(service, ReadAllAsync(context), context).ConfigureAwait(false);
        await context.WriteMessageAsync(response, CancellationToken.None).ConfigureAwait(false);
    }
}
