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

    private readonly string? _ownShare;

    private ApiHost(WebApplication app, Uri address, string? ownShare)
    {
        _app = app;
        _ownShare = ownShare;
        Client = new HttpClient { BaseAddress = address };
    }

    public HttpClient Client { get; }

    /// <param name="pserver">The PServer it fronts, host:port.</param>
    /// <param name="settings">Extra settings; pass <c>--Content:ShareDirectory=</c> the PServer's share for downloads
    /// (without it the API gets a temporary share of its own).</param>
    public static async Task<ApiHost> StartAsync(string pserver, params string[] settings)
    {
        var ownShare = settings.Any(s => s.StartsWith("--Content:ShareDirectory=", StringComparison.Ordinal))
            ? null
            : Directory.CreateTempSubdirectory("p2pmesh-api-share-").FullName;
        var builder = WebApplication.CreateBuilder([
            "--hostBuilder:reloadConfigOnChange=false", "--Api:ListenAddress=127.0.0.1", "--Api:Port=0", $"--Api:PServer={pserver}",
            .. ownShare is null ? Array.Empty<string>() : [$"--Content:ShareDirectory={ownShare}"],
            .. settings]);
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
        return new ApiHost(app, new Uri(address), ownShare);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_ownShare is not null)
        {
            Directory.Delete(_ownShare, recursive: true);
        }
    }
}
