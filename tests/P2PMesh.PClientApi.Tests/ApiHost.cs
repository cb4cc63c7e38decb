using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using P2PMesh.PClientApi.Extensions;

namespace P2PMesh.PClientApi.Tests;

/// <summary>A real PClient-API (the same wiring as Program.cs) on 127.0.0.1 and a free port, fronting a given PServer.</summary>
public sealed class ApiHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ApiHost(WebApplication app, Uri address)
    {
        _app = app;
        Client = new HttpClient { BaseAddress = address };
    }

    public HttpClient Client { get; }

    public static async Task<ApiHost> StartAsync(string pserver, params string[] settings)
    {
        var builder = WebApplication.CreateBuilder(["--hostBuilder:reloadConfigOnChange=false", "--Api:ListenAddress=127.0.0.1", "--Api:Port=0", $"--Api:PServer={pserver}", .. settings]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddPClientApi();
        var app = builder.Build();
        app.MapPClientApi();
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ApiHost(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
