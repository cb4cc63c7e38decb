using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using P2PMesh.ServiceDefaults;
using P2PMesh.ServiceDefaults.Health;
using P2PMesh.Testing.V1;

namespace P2PMesh.Testing;

/// <summary>
/// A real Kestrel gRPC server on 127.0.0.1 and a free port, hosted the way the product hosts its services
/// (ServiceDefaults: <c>AddServiceDefaults</c>, <c>AddGrpcEndpoint</c>, <c>MapDefaultEndpoints</c>,
/// <c>MapGrpcService</c>): Echo, <c>grpc.health.v1</c> driven by a <see cref="ToggleHealthCheck"/> tagged ready,
/// and reflection. What a client sees of it (limits, deadlines, metadata, errors, health, reflection) is what it
/// sees of a PServer or a Bootstrap. Dispose it to stop it.
/// </summary>
public sealed class EchoGrpcHost : IAsyncDisposable
{
    /// <summary>The <c>service.name</c> the host would export telemetry under (only with an OTLP endpoint configured).</summary>
    public const string ServiceName = "p2pmesh-testing-echo";

    private readonly WebApplication _app;

    private EchoGrpcHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The server's address, <c>http://127.0.0.1:PORT</c>.</summary>
    public Uri Address { get; }

    /// <summary>The flip-able readiness check behind the health of <c>""</c> and <c>p2pmesh.testing.v1.Echo</c>.</summary>
    public ToggleHealthCheck Health => _app.Services.GetRequiredService<ToggleHealthCheck>();

    /// <summary>The host's services.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Starts a host; its logs go to stderr from <paramref name="minimumLogLevel"/> up. <paramref name="settings"/> are
    /// command-line style settings on top (e.g. <c>--Tls:Enabled=true</c> and its files, for bench/tls-run.sh).
    /// </summary>
    public static async Task<EchoGrpcHost> StartAsync(LogLevel minimumLogLevel = LogLevel.Warning, params string[] settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            // Many hosts may share one process: no configuration file watchers.
            Args = ["--hostBuilder:reloadConfigOnChange=false", .. settings],
            ContentRootPath = AppContext.BaseDirectory,
        });
        // stdout belongs to the interop host's LISTENING line.
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(minimumLogLevel);
        builder.AddServiceDefaults(ServiceName, Environment.MachineName, []);
        builder.AddGrpcEndpoint(new EchoEndpoint(), [Echo.Descriptor.FullName]);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<CallOutcomeRegistry>();
        builder.Services.AddSingleton<ToggleHealthCheck>();
        builder.Services.AddHealthChecks().AddCheck<ToggleHealthCheck>("toggle", tags: [HealthTags.Ready]);

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapGrpcService<EchoService>();
        try
        {
            await app.StartAsync().ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

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
