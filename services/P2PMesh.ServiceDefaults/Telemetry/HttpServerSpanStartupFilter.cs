using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace P2PMesh.ServiceDefaults.Telemetry;

/// <summary>
/// Puts <see cref="HttpServerSpanMiddleware"/> in front of the host's whole pipeline (routing, exception
/// handling, endpoints), so that it runs last on the way out, once the endpoint and the status are known.
/// </summary>
internal sealed class HttpServerSpanStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(static next => new HttpServerSpanMiddleware(next).InvokeAsync);
        next(app);
    };
}
