using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using P2PMesh.Bootstrap.Directory;
using P2PMesh.Bootstrap.Directory.Bus;
using P2PMesh.Bootstrap.Extensions;

namespace P2PMesh.Bus.Tests.Infrastructure;

/// <summary>
/// The Bootstrap's bus side (its own wiring, <c>AddBootstrap</c>, with <c>Mom:Uri</c>) applying events to a
/// <see cref="RecordingIndexEventSink"/>; started means subscribed to <c>p2pmesh.directory.index</c>. The sink outlives
/// the host, so a test can stop the directory and start another on the same sink.
/// </summary>
public sealed class DirectoryHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DirectoryHost(WebApplication app) => _app = app;

    public IServiceProvider Services => _app.Services;

    public static async Task<DirectoryHost> StartAsync(Uri broker, RecordingIndexEventSink sink)
    {
        var builder = WebApplication.CreateBuilder([
            "--hostBuilder:reloadConfigOnChange=false", "--urls=http://127.0.0.1:0", $"--Mom:Uri={broker}", "--Mom:RecoveryInterval=00:00:00.500"]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddBootstrap();
        builder.Services.AddSingleton<IIndexEventSink>(sink);
        var app = builder.Build();
        try
        {
            await app.StartAsync();
            using var patience = new CancellationTokenSource(Patience.Default);
            await app.Services.GetRequiredService<IndexEventConsumer>().Subscribed.WaitAsync(patience.Token);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return new DirectoryHost(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
