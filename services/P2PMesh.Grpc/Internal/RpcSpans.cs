using System.Diagnostics;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;

namespace P2PMesh.Grpc.Internal;

/// <summary>
/// Client and server spans of gRPC calls per the OpenTelemetry semantic conventions for RPC
/// (https://opentelemetry.io/docs/specs/semconv/rpc/rpc-spans/ and .../rpc/grpc/), and the W3C Trace
/// Context (https://www.w3.org/TR/trace-context/) carried in request metadata.
/// </summary>
internal static class RpcSpans
{
    public const string RpcSystem = "rpc.system";
    public const string RpcService = "rpc.service";
    public const string RpcMethod = "rpc.method";
    public const string GrpcStatusCode = "rpc.grpc.status_code";
    public const string ServerAddress = "server.address";
    public const string ServerPort = "server.port";
    public const string NetworkPeerAddress = "network.peer.address";
    public const string NetworkPeerPort = "network.peer.port";

    /// <summary>The operation name of ASP.NET Core's per-request activity (Microsoft.AspNetCore hosting).</summary>
    private const string AspNetCoreRequestActivity = "Microsoft.AspNetCore.Hosting.HttpRequestIn";

    /// <summary>
    /// Starts the client span of a call of <paramref name="method"/> to <paramref name="address"/> (a child of
    /// <see cref="Activity.Current"/>); <c>null</c> when nobody listens or the sampler drops it.
    /// </summary>
    public static Activity? StartClient<TRequest, TResponse>(ActivitySource? source, Method<TRequest, TResponse> method, Uri address)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        if (source is null || !source.HasListeners())
        {
            return null;
        }
        var activity = source.StartActivity(method.SpanName, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(RpcSystem, "grpc");
            activity.SetTag(RpcService, method.ServiceName);
            activity.SetTag(RpcMethod, method.Name);
            activity.SetTag(ServerAddress, address.Host);
            activity.SetTag(ServerPort, address.Port);
        }
        return activity;
    }

    /// <summary>
    /// Writes the W3C <c>traceparent</c> (and <c>tracestate</c>) of the call's own client span into
    /// <paramref name="request"/>'s headers, unless the caller's metadata already set them, so that the
    /// server's span is the child of this span rather than of HttpClient's request span. Without a client
    /// span, <see cref="SocketsHttpHandler"/> propagates <see cref="Activity.Current"/> itself
    /// (<see cref="SocketsHttpHandler.ActivityHeadersPropagator"/>), and honours its opt-out.
    /// </summary>
    public static void Inject(Activity activity, HttpRequestMessage request)
    {
        if (request.Headers.Contains("traceparent"))
        {
            return;
        }
        DistributedContextPropagator.Current.Inject(activity, request, static (carrier, name, value) =>
        {
            if (carrier is HttpRequestMessage message && value is not null)
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        });
    }

    /// <summary>
    /// Starts the server span of a call: a child of the remote client span named by the request's
    /// <c>traceparent</c>, or a root when there is none. ASP.NET Core's own request activity, which
    /// extracted the same <c>traceparent</c>, is demoted to not recorded when this span is, so the
    /// remote parent gets exactly one server child per call. <c>null</c> when nobody listens or the
    /// sampler drops it (ASP.NET Core's activity is then left alone).
    /// </summary>
    public static Activity? StartServer<TRequest, TResponse>(ActivitySource? source, HttpContext httpContext, Method<TRequest, TResponse> method)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        if (source is null || !source.HasListeners())
        {
            return null;
        }
        var parent = ExtractRemoteParent(httpContext.Request.Headers);
        var hosting = Activity.Current;

        // The remote context is the parent, never the hosting activity: with no traceparent this is a root.
        Activity.Current = null;
        var activity = source.StartActivity(method.SpanName, ActivityKind.Server, parent);
        if (activity is null)
        {
            Activity.Current = hosting;
            return null;
        }
        if (hosting is not null && hosting.OperationName == AspNetCoreRequestActivity)
        {
            hosting.IsAllDataRequested = false;
            hosting.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
        }
        if (activity.IsAllDataRequested)
        {
            activity.SetTag(RpcSystem, "grpc");
            activity.SetTag(RpcService, method.ServiceName);
            activity.SetTag(RpcMethod, method.Name);
            var host = httpContext.Request.Host;
            if (host.HasValue)
            {
                activity.SetTag(ServerAddress, host.Host);
                if (host.Port is { } port)
                {
                    activity.SetTag(ServerPort, port);
                }
            }
            if (httpContext.Connection.RemoteIpAddress is { } remote)
            {
                activity.SetTag(NetworkPeerAddress, remote.ToString());
                activity.SetTag(NetworkPeerPort, httpContext.Connection.RemotePort);
            }
        }
        return activity;
    }

    /// <summary>
    /// Ends a client span with <paramref name="status"/>: every non-OK status is an error
    /// (semantic conventions, gRPC: "Status" for client spans).
    /// </summary>
    public static void StopClient(Activity activity, Status status) =>
        Stop(activity, status, status.StatusCode != StatusCode.OK);

    /// <summary>
    /// Ends a server span with <paramref name="status"/>: only UNKNOWN, DEADLINE_EXCEEDED, UNIMPLEMENTED,
    /// INTERNAL, UNAVAILABLE and DATA_LOSS are errors of the server (semantic conventions, gRPC: "Status"
    /// for server spans); the others are the caller's.
    /// </summary>
    public static void StopServer(Activity activity, Status status) =>
        Stop(activity, status, status.StatusCode is StatusCode.Unknown or StatusCode.DeadlineExceeded or StatusCode.Unimplemented
            or StatusCode.Internal or StatusCode.Unavailable or StatusCode.DataLoss);

    private static void Stop(Activity activity, Status status, bool error)
    {
        if (activity.IsAllDataRequested)
        {
            activity.SetTag(GrpcStatusCode, (int)status.StatusCode);
            if (error)
            {
                activity.SetStatus(ActivityStatusCode.Error, string.IsNullOrEmpty(status.Detail) ? status.StatusCode.ToString() : status.Detail);
            }
        }
        activity.Stop();
    }

    private static ActivityContext ExtractRemoteParent(IHeaderDictionary headers)
    {
        DistributedContextPropagator.Current.ExtractTraceIdAndState(headers,
            static (object? carrier, string name, out string? value, out IEnumerable<string>? values) =>
            {
                values = null;
                value = carrier is IHeaderDictionary h && h.TryGetValue(name, out var v) ? v.ToString() : null;
            },
            out var traceParent, out var traceState);
        return traceParent is not null && ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var context)
            ? context
            : default;
    }
}
