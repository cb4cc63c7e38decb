using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using P2PMesh.Core.Content;
using P2PMesh.Core.Transfers.Download;

namespace P2PMesh.PServer.Tests.Transfers.Download;

/// <summary>PServers for download tests (no file watcher, no auto-discovery, a download engine), and what to look at on them.</summary>
public static class TestPeers
{
    public const string ReadChunksPath = "/p2pmesh.v1.Peer/ReadChunks";

    /// <summary>A PServer whose index only changes on explicit rescans (so tests are deterministic).</summary>
    public static Task<PServerHost> StartAsync(params string[] settings) =>
        StartAsync(null, settings);

    /// <summary>Such a PServer with the download engine the PClient-API adds (<c>AddDownloads</c>) beside it.</summary>
    public static Task<PServerHost> StartAsync(Action<WebApplication>? configureApp, params string[] settings) =>
        PServerHost.StartAsync(["--Neighbours:AutoDiscover=false", "--Content:WatchForChanges=false", .. settings], configureApp,
            builder => builder.Services.AddDownloads(builder.Configuration));

    /// <summary>A PServer holding <paramref name="content"/> as <paramref name="name"/>.</summary>
    public static async Task<PServerHost> StartWithFileAsync(string name, byte[] content, Action<WebApplication>? configureApp = null)
    {
        var host = await StartAsync(configureApp);
        try
        {
            await host.AddFileAsync(name, content);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>Delays every ReadChunks call by <paramref name="delay"/> (a slow source).</summary>
    public static Action<WebApplication> SlowReadChunks(TimeSpan delay) => app => app.Use(async (context, next) =>
    {
        if (context.Request.Path == ReadChunksPath)
        {
            await Task.Delay(delay, context.RequestAborted);
        }
        await next(context);
    });

    public static DownloadManager Downloads(this PServerHost host) => host.Services.GetRequiredService<DownloadManager>();

    public static ContentIndex Index(this PServerHost host) => host.Services.GetRequiredService<ContentIndex>();

    /// <summary><c>&lt;StateDirectory&gt;/downloads</c> of <paramref name="host"/>.</summary>
    public static string DownloadsDirectory(this PServerHost host) => Path.Join(host.Index().StateDirectory, "downloads");

    /// <summary>Every file in the share, outside the state directory, relative to the share.</summary>
    public static List<string> ShareFiles(this PServerHost host)
    {
        var state = host.Index().StateDirectory + Path.DirectorySeparatorChar;
        return [.. Directory.EnumerateFiles(host.ShareDirectory, "*", SearchOption.AllDirectories)
            .Where(p => !p.StartsWith(state, StringComparison.Ordinal))
            .Select(p => Path.GetRelativePath(host.ShareDirectory, p))
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>An address where nothing listens (a port just bound and released).</summary>
    public static string DeadAddress()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"127.0.0.1:{port}";
    }

    /// <summary>Waits for <paramref name="job"/> to finish (at most <paramref name="seconds"/>).</summary>
    public static Task<DownloadResult> FinishedAsync(this DownloadJob job, int seconds = 60) =>
        job.Completion.WaitAsync(TimeSpan.FromSeconds(seconds));
}
