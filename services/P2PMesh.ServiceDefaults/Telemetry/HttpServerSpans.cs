using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace P2PMesh.ServiceDefaults.Telemetry;

/// <summary>
/// Makes ASP.NET Core's request span (source <c>Microsoft.AspNetCore</c>) follow the OpenTelemetry HTTP server
/// span conventions (<see href="https://opentelemetry.io/docs/specs/semconv/http/http-spans/#http-server"/>)
/// without OpenTelemetry.Instrumentation.AspNetCore, in two halves:
/// <list type="bullet">
/// <item>at the start, ASP.NET Core 10's own tags (<c>HostingApplicationDiagnostics</c>): <c>http.request.method</c>
/// (<c>_OTHER</c> and <c>http.request.method_original</c> for a method outside the spec's list), <c>url.scheme</c>,
/// <c>url.path</c>, <c>server.address</c>, <c>server.port</c> and <c>user_agent.original</c>. .NET 10 adds them
/// only with the AppContext switch <see cref="SuppressSwitch"/> set to <c>false</c> (.NET 11 by default), which
/// this sets; it is read as each host starts, and given to the sampler;</item>
/// <item>at the end, what .NET 10 leaves out and .NET 11 adds itself: the name, <c>http.route</c>,
/// <c>http.response.status_code</c>, <c>network.protocol.version</c>, and an Error for a 5xx or an
/// unhandled exception (<see cref="HttpServerSpanMiddleware"/>).</item>
/// </list>
/// </summary>
/// <remarks>
/// The switch is process-wide: with one host per process, as deployed, a process without traces never sets it
/// (no cost). In tests, a host without telemetry started after one with traces also gets the start tags on the
/// activities ASP.NET Core creates anyway, which nobody exports.
/// </remarks>
internal static class HttpServerSpans
{
    /// <summary>ASP.NET Core 10's switch: <c>true</c>, its default when unset, leaves the request span bare.</summary>
    public const string SuppressSwitch = "Microsoft.AspNetCore.Hosting.SuppressActivityOpenTelemetryData";

    /// <summary>
    /// Turns both halves on for the host being built: the switch, unless it was set explicitly (e.g. in
    /// <c>runtimeconfig.json</c>), and the middleware, first in the pipeline.
    /// </summary>
    public static void Add(IServiceCollection services)
    {
        if (!AppContext.TryGetSwitch(SuppressSwitch, out _))
        {
            AppContext.SetSwitch(SuppressSwitch, false);
        }
        services.AddTransient<IStartupFilter, HttpServerSpanStartupFilter>();
    }
}
