using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using P2PMesh.Bootstrap.Extensions;
using P2PMesh.Contracts;
using P2PMesh.ServiceDefaults;
using P2PMesh.ServiceDefaults.Telemetry;

namespace P2PMesh.Bootstrap.Tests;

/// <summary>A real Bootstrap (the same wiring as Program.cs) on 127.0.0.1 and a free port.</summary>
public sealed class BootstrapHost : IGrpcTestHost
{
    private readonly WebApplication _app;
    private bool _disposed;

    private BootstrapHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Channel = GrpcChannel.ForAddress(address);
    }

    public Uri Address { get; }

    /// <summary>A client channel to this host, disposed with it.</summary>
    public GrpcChannel Channel { get; }

    public IServiceProvider Services => _app.Services;

    /// <param name="settings">Extra command-line style settings, e.g. <c>--Bootstrap:SampleSize=5</c>.</param>
    public static Task<BootstrapHost> StartAsync(params string[] settings) => StartAsync((TimeProvider?)null, settings);

    /// <param name="timeProvider">The clock the host uses (e.g. a manual test clock); <c>null</c> for the system clock.</param>
    /// <param name="settings">Extra command-line style settings, e.g. <c>--Bootstrap:SampleSize=5</c>.</param>
    public static Task<BootstrapHost> StartAsync(TimeProvider? timeProvider, params string[] settings) =>
        StartAsync(services =>
        {
            if (timeProvider is not null)
            {
                services.AddSingleton(timeProvider);
            }
        }, settings);

    /// <param name="configureServices">Adds to the host's services before its own wiring (e.g. an <c>IStartupFilter</c> that records requests).</param>
    /// <param name="settings">Extra command-line style settings, e.g. <c>--Bootstrap:SampleSize=5</c>.</param>
    public static async Task<BootstrapHost> StartAsync(Action<IServiceCollection> configureServices, params string[] settings)
    {
        ArgumentNullException.ThrowIfNull(configureServices);
        var builder = WebApplication.CreateBuilder(["--hostBuilder:reloadConfigOnChange=false", "--Bootstrap:ListenAddress=127.0.0.1", "--Bootstrap:GrpcPort=0", .. settings]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        configureServices(builder.Services);
        var options = builder.AddBootstrap();
        builder.AddServiceDefaults(TelemetryServiceNames.Bootstrap, "bootstrap", HousekeepingMethods.Paths);
        builder.AddGrpcEndpoint(options, Extensions.Extensions.ServedServices);
        var app = builder.Build();
        try
        {
            app.MapDefaultEndpoints();
            app.MapBootstrap();
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new BootstrapHost(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        Channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
