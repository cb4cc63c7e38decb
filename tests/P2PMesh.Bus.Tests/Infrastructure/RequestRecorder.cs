using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace P2PMesh.Bus.Tests.Infrastructure;

/// <summary>
/// Records the path of every request a host receives (for a gRPC call, <c>/package.Service/Method</c>), before anything
/// else in its pipeline sees it: register it as an <see cref="IStartupFilter"/>.
/// </summary>
public sealed class RequestRecorder : IStartupFilter
{
    private readonly ConcurrentQueue<string> _paths = new();

    public IReadOnlyCollection<string> Paths => _paths;

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            _paths.Enqueue(context.Request.Path.Value ?? "");
            return nextMiddleware(context);
        });
        next(app);
    };
}
