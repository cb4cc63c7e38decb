using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using P2PMesh.Bootstrap.Tests;
using P2PMesh.Core.Content;
using P2PMesh.Core.Peers;
using P2PMesh.PServer.Extensions;
using P2PMesh.V1;

namespace P2PMesh.PServer.Tests;

/// <summary>
/// A real PServer (the same wiring as Program.cs) on 127.0.0.1 and a free port, with its own
/// temporary share directory, deleted on dispose. Started means ready: the share has been scanned.
/// </summary>
public sealed class PServerHost : IGrpcTestHost
{
    private static readonly TimeSpan ReadyPatience = TimeSpan.FromSeconds(30);
    private readonly WebApplication _app;
    private bool _disposed;

    private PServerHost(WebApplication app, Uri address, string share)
    {
        _app = app;
        Address = address;
        ShareDirectory = share;
        Channel = GrpcChannel.ForAddress(address);
        Client = new Peer.PeerClient(Channel);
    }

    public Uri Address { get; }

    /// <summary>host:port as peers name it.</summary>
    public string PeerAddress => $"127.0.0.1:{Address.Port}";

    /// <summary>A client channel to this host, disposed with it.</summary>
    public GrpcChannel Channel { get; }

    /// <summary>The generated <c>p2pmesh.v1.Peer</c> client over <see cref="Channel"/>.</summary>
    public Peer.PeerClient Client { get; }

    public string ShareDirectory { get; }

    public IServiceProvider Services => _app.Services;

    public string Id => Services.GetRequiredService<ILocalPeer>().Id;

    public NeighbourTable Neighbours => Services.GetRequiredService<NeighbourTable>();

    /// <param name="settings">Extra command-line style settings, e.g. <c>--Peer:Id=p1</c>.</param>
    /// <param name="configureApp">Adds middleware before the gRPC endpoints (e.g. to slow a peer down).</param>
    /// <param name="configureBuilder">Adds to the host after the PServer's own wiring (e.g. the download engine, a health check).</param>
    public static async Task<PServerHost> StartAsync(
        string[]? settings = null, Action<WebApplication>? configureApp = null, Action<WebApplicationBuilder>? configureBuilder = null)
    {
        var share = Directory.CreateTempSubdirectory("p2pmesh-share-").FullName;
        var builder = WebApplication.CreateBuilder([
            // Many hosts share one process: no file watchers (the per-user inotify limit is 128), and
            // tests re-index explicitly (AddFileAsync).
            "--hostBuilder:reloadConfigOnChange=false",
            "--Content:WatchForChanges=false",
            "--Peer:ListenAddress=127.0.0.1",
            "--Peer:GrpcPort=0",
            $"--Content:ShareDirectory={share}",
            .. settings ?? []]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        WebApplication? app = null;
        try
        {
            builder.AddPServer();
            configureBuilder?.Invoke(builder);
            app = builder.Build();
            configureApp?.Invoke(app);
            app.MapPServer();
            await app.StartAsync();
            // Ready (ShareHealthCheck): the first scan of the share, which runs in the background, is done.
            var index = app.Services.GetRequiredService<ContentIndex>();
            using var patience = new CancellationTokenSource(ReadyPatience);
            while (index.LastScanCompleted is null)
            {
                await Task.Delay(10, patience.Token);
            }
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }
            Directory.Delete(share, recursive: true);
            throw;
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new PServerHost(app, new Uri(address), share);
    }

    public static Task<PServerHost> StartAsync(params string[] settings) => StartAsync(settings, null);

    /// <summary>
    /// Simulates a crash: closes the listener and every connection at once, without the graceful
    /// shutdown that would unlink from neighbours and leave the bootstrap. Dispose still cleans up.
    /// </summary>
    public async Task KillAsync()
    {
        await Services.GetRequiredService<IServer>().StopAsync(new CancellationToken(canceled: true));
        foreach (var hosted in Services.GetServices<IHostedService>().OfType<MeshMaintainer>())
        {
            // Silence it too: a crashed peer neither pings nor says goodbye.
            await ((BackgroundService)hosted).StopAsync(new CancellationToken(canceled: true)).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>Writes a file into the share and re-indexes it.</summary>
    public async Task AddFileAsync(string name, byte[] content)
    {
        var path = Path.Combine(ShareDirectory, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, content);
        await Services.GetRequiredService<ContentIndex>().RescanAsync();
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
        try
        {
            Directory.Delete(ShareDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
