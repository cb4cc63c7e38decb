using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P2PMesh.Core.Content.Internal;

namespace P2PMesh.Core.Content;

/// <summary>
/// Keeps <see cref="ContentIndex"/> current without restarts (docs/architecture.md, Content store): scans
/// once at start, then again when a <see cref="FileSystemWatcher"/> reports a change below the share
/// (debounced by 250 ms; an overflow or watcher error also triggers a scan, which is always a full one)
/// and every <see cref="ContentIndexOptions.RescanInterval"/>. A failed scan is logged and the service
/// keeps going.
/// </summary>
public sealed partial class ContentIndexService(
    ContentIndex index,
    IOptions<ContentIndexOptions> options,
    TimeProvider timeProvider,
    ILogger<ContentIndexService> logger) : BackgroundService
{
    /// <summary>How long to wait after a change notification for more before scanning.</summary>
    internal static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(250);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // At most one pending signal: any number of notifications during a debounce make one scan.
        var signals = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
        {
            FullMode = BoundedChannelFullMode.DropWrite,
            SingleReader = true,
        });
        using var watcher = options.Value.WatchForChanges ? TryCreateWatcher(signals.Writer) : null;
        using var timer = new PeriodicTimer(options.Value.RescanInterval, timeProvider);
        try
        {
            await RescanAsync(stoppingToken).ConfigureAwait(false);
            Task<bool>? tick = null;
            Task<bool>? signal = null;
            while (true)
            {
                // PeriodicTimer allows one pending wait, so a wait that lost the race is kept for the next round.
                tick ??= timer.WaitForNextTickAsync(stoppingToken).AsTask();
                signal ??= signals.Reader.WaitToReadAsync(stoppingToken).AsTask();
                if (await Task.WhenAny(tick, signal).ConfigureAwait(false) == signal)
                {
                    await signal.ConfigureAwait(false);
                    signal = null;
                    await Task.Delay(Debounce, timeProvider, stoppingToken).ConfigureAwait(false);
                }
                else
                {
                    if (!await tick.ConfigureAwait(false))
                    {
                        return;
                    }
                    tick = null;
                }
                while (signals.Reader.TryRead(out _))
                {
                }
                await RescanAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RescanAsync(CancellationToken stoppingToken)
    {
        try
        {
            await index.RescanAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            Log.RescanFailed(logger, index.ShareDirectory, ex);
        }
    }

    private FileSystemWatcher? TryCreateWatcher(ChannelWriter<bool> signals)
    {
        FileSystemWatcher? watcher = null;
        try
        {
            index.EnsureShareDirectory();
            // Watch the link-free path so event paths compare with the state directory's.
            var root = SharePath.GetRealPath(index.ShareDirectory) ?? index.ShareDirectory;
            var state = SharePath.GetRealPath(index.StateDirectory) ?? index.StateDirectory;
            watcher = new FileSystemWatcher(root)
            {
                IncludeSubdirectories = true,
                InternalBufferSize = 64 * 1024,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.Size |
                    NotifyFilters.LastWrite | NotifyFilters.CreationTime | NotifyFilters.Attributes,
            };
            // Our own hash-cache writes land in the state directory: ignore them, or every save would rescan.
            void OnChange(string path)
            {
                if (!SharePath.IsSameOrInside(state, path))
                {
                    signals.TryWrite(true);
                }
            }
            watcher.Created += (_, e) => OnChange(e.FullPath);
            watcher.Changed += (_, e) => OnChange(e.FullPath);
            watcher.Deleted += (_, e) => OnChange(e.FullPath);
            watcher.Renamed += (_, e) =>
            {
                OnChange(e.OldFullPath);
                OnChange(e.FullPath);
            };
            watcher.Error += (_, e) =>
            {
                Log.WatcherError(logger, e.GetException());
                signals.TryWrite(true);
            };
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or PlatformNotSupportedException)
        {
            watcher?.Dispose();
            Log.WatcherUnavailable(logger, index.ShareDirectory, options.Value.RescanInterval, ex);
            return null;
        }
    }
}
