using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using P2PMesh.Core.Content;

namespace P2PMesh.Core.Tests.Content;

public sealed class ContentIndexServiceTests : IDisposable
{
    private readonly TempShare _share = new();

    public void Dispose() => _share.Dispose();

    [Fact]
    public async Task ExecuteAsync_WatcherOnly_NoticesAddedChangedAndRemovedFiles()
    {
        // Arrange: no periodic rescans, so only the watcher can notice.
        _share.Write("initial.txt", [1]);
        var options = _share.Options();
        options.RescanInterval = Timeout.InfiniteTimeSpan;
        var (index, service) = Create(options);
        await service.StartAsync(default);
        try
        {
            await Eventually.TrueAsync(() => index.Count == 1, "the initial scan has run");

            // Act + Assert: added
            var path = _share.Write("sub/added.bin", TempShare.RandomBytes(5000, seed: 1));
            await Eventually.TrueAsync(() => index.Files.Any(f => f.Name == "sub/added.bin"), "the added file is indexed");

            // changed (same size, new content, new mtime)
            var before = index.Files.Single(f => f.Name == "sub/added.bin");
            var bytes = TempShare.RandomBytes(5000, seed: 2);
            File.WriteAllBytes(path, bytes);
            File.SetLastWriteTimeUtc(path, before.LastWriteTimeUtc.AddSeconds(5));
            await Eventually.TrueAsync(() => index.Files.Single(f => f.Name == "sub/added.bin").Sha256 != before.Sha256, "the changed file is re-hashed");
            ContentIndexHashingTests.AssertManifest(index.Files.Single(f => f.Name == "sub/added.bin"), bytes, 4096);

            // removed
            File.Delete(_share.PathOf("initial.txt"));
            await Eventually.TrueAsync(() => index.Files.All(f => f.Name != "initial.txt"), "the removed file is dropped");
        }
        finally
        {
            await service.StopAsync(default);
            service.Dispose();
        }
    }

    [Fact]
    public async Task ExecuteAsync_PeriodicOnly_NoticesAddedFile()
    {
        // Arrange: no watcher, so only the periodic rescan can notice.
        var options = _share.Options();
        options.WatchForChanges = false;
        options.RescanInterval = TimeSpan.FromMilliseconds(100);
        var (index, service) = Create(options);
        await service.StartAsync(default);
        try
        {
            await Eventually.TrueAsync(() => index.LastScanCompleted is not null, "the initial scan has run");

            // Act
            _share.Write("late.txt", [1, 2, 3]);

            // Assert
            await Eventually.TrueAsync(() => index.Files.Any(f => f.Name == "late.txt"), "the periodic scan indexed the file");
        }
        finally
        {
            await service.StopAsync(default);
            service.Dispose();
        }
    }

    [Fact]
    public async Task ExecuteAsync_ScanFails_LogsAndKeepsGoing()
    {
        // Arrange: the share path is a file, so scanning fails until it is replaced by a directory.
        var sharePath = Path.Join(_share.Root, "share-later");
        File.WriteAllText(sharePath, "not a directory");
        var options = new ContentIndexOptions
        {
            ShareDirectory = sharePath,
            WatchForChanges = false,
            RescanInterval = TimeSpan.FromMilliseconds(100),
        };
        var logger = new ListLogger<ContentIndexService>();
        var (index, service) = Create(options, logger);
        await service.StartAsync(default);
        try
        {
            await Eventually.TrueAsync(() => logger.Entries.Any(e => e.EventId.Name == "RescanFailed"), "a failed scan is logged");

            // Act
            File.Delete(sharePath);
            Directory.CreateDirectory(sharePath);
            File.WriteAllBytes(Path.Join(sharePath, "a.txt"), [1]);

            // Assert
            await Eventually.TrueAsync(() => index.Count == 1, "a later scan succeeds");
        }
        finally
        {
            await service.StopAsync(default);
            service.Dispose();
        }
    }

    private static (ContentIndex Index, ContentIndexService Service) Create(ContentIndexOptions options, ListLogger<ContentIndexService>? logger = null)
    {
        var wrapped = Options.Create(options);
        var index = new ContentIndex(wrapped, TimeProvider.System, NullLogger<ContentIndex>.Instance);
        var service = new ContentIndexService(index, wrapped, TimeProvider.System, (Microsoft.Extensions.Logging.ILogger<ContentIndexService>?)logger ?? NullLogger<ContentIndexService>.Instance);
        return (index, service);
    }
}
