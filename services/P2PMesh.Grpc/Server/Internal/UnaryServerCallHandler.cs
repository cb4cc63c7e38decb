using System.Diagnostics;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace P2PMesh.Grpc.Server.Internal;

/// <summary>One request in, one response out.</summary>
internal sealed class UnaryServerCallHandler<TService, TRequest, TResponse>(
    Method<TRequest, TResponse> method,
    Func<TService, TRequest, ServerCallContext, Task<TResponse>> invoker,
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
        var response = await invoker(service, request, context).ConfigureAwait(false);
        await context.WriteMessageAsync(response, CancellationToken.None).ConfigureAwait(false);
    }
}
