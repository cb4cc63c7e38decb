using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using P2PMesh.PServer.Extensions;

namespace P2PMesh.PServer.Tests;

/// <summary>A real PServer (the same wiring as Program.cs) on 127.0.0.1 and a free port.</summary>
public sealed class PServerHost(WebApplication app, Uri address) : IAsyncDisposable
{
    public Uri Address { get; } = address;

    public static async Task<PServerHost> StartAsync(params string[] settings)
    {
        var builder = WebApplication.CreateBuilder(["--Peer:ListenAddress=127.0.0.1", "--Peer:GrpcPort=0", .. settings]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddPServer();
        var app = builder.Build();
        app.MapPServer();
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
        return new PServerHost(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
