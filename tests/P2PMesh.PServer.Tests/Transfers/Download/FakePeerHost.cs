using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using P2PMesh.ServiceDefaults;
using P2PMesh.V1;

namespace P2PMesh.PServer.Tests.Transfers.Download;

/// <summary>
/// A gRPC host like the PServer's (<c>AddGrpcEndpoint</c> on 127.0.0.1 and a free port) serving a
/// <see cref="FakePeerService"/>. Dispose it to stop it.
/// </summary>
public sealed class FakePeerHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakePeerHost(WebApplication app, Uri address)
    {
        _app = app;
        PeerAddress = $"127.0.0.1:{address.Port}";
    }

    /// <summary>host:port as a download source or a neighbour.</summary>
    public string PeerAddress { get; }

    public static async Task<FakePeerHost> StartAsync(FakePeerBehavior behavior)
    {
        var builder = WebApplication.CreateSlimBuilder(["--hostBuilder:reloadConfigOnChange=false"]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddGrpcEndpoint(new LoopbackEndpoint(), [Peer.Descriptor.FullName]);
        builder.Services.AddSingleton(behavior);
        var app = builder.Build();
        try
        {
            app.MapGrpcService<FakePeerService>();
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new FakePeerHost(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
