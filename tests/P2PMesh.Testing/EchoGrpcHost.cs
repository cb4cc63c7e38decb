using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Grpc.Core;

namespace P2PMesh.Testing;

/// <summary>
/// A real Kestrel gRPC server on 127.0.0.1 and a free port, serving Echo, health (with a
/// <see cref="ToggleHealthCheck"/>) and reflection. Dispose it to stop it.
/// </summary>
public sealed class EchoGrpcHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EchoGrpcHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The server's address, <c>http://127.0.0.1:PORT</c>.</summary>
    public Uri Address { get; }

    /// <summary>The flip-able health check behind <c>""</c> and every service name.</summary>
    public ToggleHealthCheck Health => _app.Services.GetRequiredService<ToggleHealthCheck>();

    /// <summary>The host's services.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a host; <paramref name="configure"/> adjusts the server options.</summary>
    public static async Task<EchoGrpcHost> StartAsync(
        Action<GrpcServerOptions>? configure = null,
        Action<GrpcHealthOptions>? health = null,
        LogLevel minimumLogLevel = LogLevel.Warning)
    {
        var builder = WebApplication.CreateSlimBuilder(["--hostBuilder:reloadConfigOnChange=false"]);
        builder.Logging.SetMinimumLevel(minimumLogLevel);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenGrpcPlaintext(IPAddress.Loopback, 0));
        builder.Services.AddMeshGrpc(configure);
        builder.Services.Configure<GrpcHealthOptions>(options => health?.Invoke(options));
        builder.Services.AddSingleton<CallOutcomeRegistry>();
        builder.Services.AddSingleton<ToggleHealthCheck>();
        builder.Services.AddHealthChecks().AddCheck<ToggleHealthCheck>("toggle");

        var app = builder.Build();
        app.MapGrpcService<EchoService>();
        app.MapGrpcHealthService();
        app.MapGrpcReflectionService();
        await app.StartAsync().ConfigureAwait(false);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new EchoGrpcHost(app, new Uri(address));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
