using System.Diagnostics;
using System.Runtime.CompilerServices;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using P2PMesh.Grpc.Internal;

namespace P2PMesh.Grpc.Server.Internal;

/// <summary>
/// The request pipeline shared by every call kind: reject what is not gRPC, set up the call context
/// and deadline, activate the service, run the kind-specific part, and end the call with a status.
/// </summary>
internal abstract class ServerCallHandler<TService, TRequest, TResponse> : IServerCallHandler
    where TService : class
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private static readonly ObjectFactory ServiceFactory = ActivatorUtilities.CreateFactory(typeof(TService), Type.EmptyTypes);
    private readonly GrpcServerOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly ActivitySource? _activitySource;

    protected ServerCallHandler(
        Method<TRequest, TResponse> method, GrpcServerOptions options, ILoggerFactory loggerFactory, TimeProvider timeProvider, ActivitySource? activitySource)
    {
        _activitySource = activitySource;
        Method = method;
        _options = options;
        _logger = loggerFactory.CreateLogger("P2PMesh.Grpc.Server");
        _timeProvider = timeProvider;
    }

    protected Method<TRequest, TResponse> Method { get; }

    /// <summary>The ASP.NET Core request delegate bound to the method's route.</summary>
    public async Task HandleCallAsync(HttpContext httpContext)
    {
        if (TrailersOnlyResponse.TryRejectNonGrpcRequest(httpContext, _logger))
        {
            return;
        }

        using var activity = RpcSpans.StartServer(_activitySource, httpContext, Method);
        using var context = new HttpContextServerCallContext(httpContext, Method.FullName, _options, _logger, _timeProvider);
        var service = httpContext.RequestServices.GetService<TService>();
        var ownsService = service is null;
        Exception? error = null;
        try
        {
            context.ValidateEncoding();
            context.StartDeadline();
            service ??= (TService)ServiceFactory(httpContext.RequestServices, null);
            await HandleCallCoreAsync(service, context).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            error = ex;
        }
        finally
        {
            if (ownsService)
            {
                switch (service)
                {
                    case IAsyncDisposable asyncDisposable:
                        await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                        break;
                    case IDisposable disposable:
                        disposable.Dispose();
                        break;
                }
            }
        }
        await context.EndCallAsync(error).ConfigureAwait(false);
        if (activity is not null && context.SentStatus is { } sent)
        {
            RpcSpans.StopServer(activity, sent);
        }
    }

    /// <summary>Reads the request(s), invokes the service method and writes the response(s).</summary>
    protected abstract Task HandleCallCoreAsync(TService service, HttpContextServerCallContext context);

    /// <summary>The request stream of a client-streaming or bidirectional call.</summary>
    protected async IAsyncEnumerable<TRequest> ReadAllAsync(HttpContextServerCallContext context, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, cancellationToken);
        while (await context.ReadMessageAsync(Method.RequestParser, linked.Token).ConfigureAwait(false) is { } message)
        {
            yield return message;
        }
    }
}
