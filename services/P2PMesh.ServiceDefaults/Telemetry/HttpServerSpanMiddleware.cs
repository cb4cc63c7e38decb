using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace P2PMesh.ServiceDefaults.Telemetry;

/// <summary>
/// Completes ASP.NET Core's recorded request span once the rest of the pipeline has run, as .NET 11 does
/// itself (<c>HostingApplicationDiagnostics.SetActivityEndTags</c>), per the HTTP server span conventions
/// (<see href="https://opentelemetry.io/docs/specs/semconv/http/http-spans/#http-server"/>): the name
/// <c>{method} {http.route}</c> (the method alone when no endpoint matched), <c>http.route</c>,
/// <c>http.response.status_code</c>, <c>network.protocol.version</c>, and for an unhandled exception or a
/// 5xx <c>error.type</c> and an Error status (a 4xx is the client's error: unset). Leaves alone a request
/// with no activity, or whose activity is not recorded, e.g. a gRPC call's (P2PMesh.Grpc exports its own span).
/// </summary>
internal sealed class HttpServerSpanMiddleware(RequestDelegate next)
{
    private const string RequestMethod = "http.request.method";
    private const string Route = "http.route";
    private const string ResponseStatusCode = "http.response.status_code";
    private const string ProtocolVersion = "network.protocol.version";
    private const string ErrorType = "error.type";

    // https://opentelemetry.io/docs/specs/semconv/http/http-spans/#name: "HTTP" stands for a method ASP.NET Core
    // reported as _OTHER (not one of the spec's).
    private const string OtherMethod = "_OTHER";
    private const string OtherMethodName = "HTTP";

    // Where ASP.NET Core's exception handler (and status code re-execution) keep the endpoint they clear before
    // running the pipeline again; its own telemetry reads it the same way (HttpExtensions.GetOriginalEndpoint).
    private const string OriginalEndpointKey = "__OriginalEndpoint";

    /// <summary>Runs the rest of the pipeline, then completes the request's span.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        // An activity that is not recorded now never will be: no state machine for it.
        var activity = context.Features.Get<IHttpActivityFeature>()?.Activity;
        return activity is { IsAllDataRequested: true } ? InvokeAsync(context, activity) : next(context);
    }

    private async Task InvokeAsync(HttpContext context, Activity activity)
    {
        try
        {
            await next(context);
        }
        catch (Exception exception)
        {
            Complete(context, activity, exception);
            throw;
        }
        Complete(context, activity, exception: null);
    }

    private static void Complete(HttpContext context, Activity activity, Exception? exception)
    {
        // Checked now: P2PMesh.Grpc demotes a gRPC call's activity while the call runs.
        if (!activity.IsAllDataRequested)
        {
            return;
        }
        var response = context.Response;
        // An exception thrown before the response started: Kestrel answers 500.
        var statusCode = exception is not null && !response.HasStarted ? StatusCodes.Status500InternalServerError : response.StatusCode;
        activity.SetTag(ResponseStatusCode, statusCode);
        if (GetProtocolVersion(context.Request.Protocol) is { } version)
        {
            activity.SetTag(ProtocolVersion, version);
        }

        var method = activity.GetTagItem(RequestMethod) as string ?? context.Request.Method;
        var name = method == OtherMethod ? OtherMethodName : method;
        if (GetRoute(context) is { } route)
        {
            activity.SetTag(Route, route);
            activity.DisplayName = $"{name} {route}";
        }
        else
        {
            activity.DisplayName = name;
        }

        if (exception is not null)
        {
            activity.SetTag(ErrorType, exception.GetType().FullName);
            activity.SetStatus(ActivityStatusCode.Error, exception.Message);
        }
        else if (statusCode >= StatusCodes.Status500InternalServerError)
        {
            activity.SetTag(ErrorType, statusCode.ToString(CultureInfo.InvariantCulture));
            activity.SetStatus(ActivityStatusCode.Error);
        }
    }

    /// <summary>The matched endpoint's route template (<c>/</c> for the root), or <c>null</c> when none matched.</summary>
    private static string? GetRoute(HttpContext context)
    {
        var endpoint = context.GetEndpoint()
            ?? (context.Items.TryGetValue(OriginalEndpointKey, out var original) ? original as Endpoint : null);
        var route = endpoint?.Metadata.GetMetadata<IRouteDiagnosticsMetadata>()?.Route;
        return route switch
        {
            null => null,
            "" => "/",
            _ => route,
        };
    }

    private static string? GetProtocolVersion(string protocol) =>
        HttpProtocol.IsHttp11(protocol) ? "1.1"
        : HttpProtocol.IsHttp2(protocol) ? "2"
        : HttpProtocol.IsHttp3(protocol) ? "3"
        : HttpProtocol.IsHttp10(protocol) ? "1.0"
        : null;
}
