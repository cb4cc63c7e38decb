using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using P2PMesh.Core.Peers;
using P2PMesh.ServiceDefaults.Telemetry;

namespace P2PMesh.ServiceDefaults.Tests.Telemetry;

/// <summary>
/// A minimal service: a real WebApplication on 127.0.0.1 and a free port that calls
/// <see cref="TelemetryExtensions.AddTelemetry"/> like the services do, configured only by the settings given
/// (command-line style, e.g. <c>--OTEL_EXPORTER_OTLP_ENDPOINT=…</c>; never process environment variables, so
/// tests can run in parallel). <c>GET /work?count=N</c> emits <see cref="TestWork"/> under the request span;
/// <c>GET /fail/{kind}</c> throws (an unhandled exception: a 500).
/// </summary>
public sealed class TelemetryHost : IAsyncDisposable
{
    public const string ServiceName = "p2pmesh-test";

    public const string InstanceId = "peer-7";

    private readonly WebApplication _app;
    private bool _stopped;

    private TelemetryHost(WebApplication app, Uri address)
    {
        _app = app;
        Client = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = address };
    }

    /// <summary>A client of the host; it sends no <c>traceparent</c> of its own.</summary>
    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Builds the host (throws what <see cref="TelemetryExtensions.AddTelemetry"/> throws) and starts it.</summary>
    public static Task<TelemetryHost> StartAsync(params string[] settings) => StartAsync(configure: null, settings);

    /// <summary>
    /// <see cref="StartAsync(string[])"/>, with <paramref name="configure"/> given the app before its endpoints
    /// are mapped (e.g. to add middleware).
    /// </summary>
    public static async Task<TelemetryHost> StartAsync(Action<WebApplication>? configure, params string[] settings)
    {
        var builder = Build(settings);
        var app = builder.Build();
        configure?.Invoke(app);
        app.MapGet("/work", (int? count, TestWork work) =>
        {
            work.Do(count ?? 1);
            return Results.Text("done");
        });
        app.MapGet("/fail/{kind}", string (string kind) => throw new InvalidOperationException($"{kind}: failed on purpose"));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TelemetryHost(app, new Uri(address));
    }

    /// <summary>The builder with telemetry added, not yet built.</summary>
    public static WebApplicationBuilder Build(params string[] settings)
    {
        var builder = WebApplication.CreateBuilder(["--hostBuilder:reloadConfigOnChange=false", .. settings]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.AddTelemetry(ServiceName, InstanceId, PeerMethods.Housekeeping);
        builder.Services.AddKeyedSingleton(TestWork.SourceName, static (_, _) => new ActivitySource(TestWork.SourceName));
        builder.Services.AddSingleton<TestWork>();
        return builder;
    }

    /// <summary>Emits <paramref name="count"/> spans outside any request (roots) and as many counts.</summary>
    public void Work(int count = 1) => Services.GetRequiredService<TestWork>().Do(count);

    /// <summary>Stops the host: its telemetry is flushed before this returns.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _app.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await StopAsync();
        await _app.DisposeAsync();
    }
}
