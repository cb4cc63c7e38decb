using Microsoft.Extensions.Logging;
using P2PMesh.Core.Content;

namespace P2PMesh.Core.Tests.Content;

public sealed class ContentIndexPersistenceTests : IDisposable
{
    private readonly TempShare _share = new();

    public void Dispose() => _share.Dispose();

    private string CachePath => Path.Join(_share.Share, ".p2pmesh", "index.json");

    [Fact]
    public async Task RescanAsync_SecondInstanceOverSameShare_HashesNothingAndReturnsIdenticalEntries()
    {
        // Arrange
        SeedFiles();
        var first = _share.CreateIndex();
        await first.RescanAsync();

        // Act
        var second = _share.CreateIndex();
        await second.RescanAsync();

        // Assert
        Assert.Equal(4, first.FilesHashed);
        Assert.Equal(0, second.FilesHashed);
        Assert.Equal(first.Files, second.Files);
        Assert.True(File.Exists(CachePath));
    }

    [Fact]
    public async Task RescanAsync_OneFileTouched_RehashesExactlyOne()
    {
        // Arrange
        SeedFiles();
        await _share.CreateIndex().RescanAsync();
        var touched = _share.PathOf("docs/b.txt");
        File.SetLastWriteTimeUtc(touched, File.GetLastWriteTimeUtc(touched).AddMinutes(-3));

        // Act
        var restarted = _share.CreateIndex();
        await restarted.RescanAsync();

        // Assert
        Assert.Equal(1, restarted.FilesHashed);
        Assert.Equal(File.GetLastWriteTimeUtc(touched), restarted.Files.Single(f => f.Name == "docs/b.txt").LastWriteTimeUtc);
        // ... and that result was saved too.
        var again = _share.CreateIndex();
        await again.RescanAsync();
        Assert.Equal(0, again.FilesHashed);
    }

    [Theory]
    [InlineData("{ this is not json")]
    [InlineData("""{"version":99,"files":[]}""")]
    [InlineData("""{"version":1,"files":[{"name":"../escape","size":1,"lastWriteTicks":0,"chunkSize":4096,"sha256":"00","chunks":[]}]}""")]
    [InlineData("")]
    public async Task RescanAsync_CorruptOrUnknownCache_LogsWarningRehashesAndReplacesIt(string content)
    {
        // Arrange
        SeedFiles();
        Directory.CreateDirectory(Path.GetDirectoryName(CachePath)!);
        File.WriteAllText(CachePath, content);
        var logger = new ListLogger<ContentIndex>();
        var index = _share.CreateIndex(logger: logger);

        // Act
        await index.RescanAsync();

        // Assert
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.EventId.Name == "HashCacheIgnored");
        Assert.Equal(4, index.Count);
        Assert.Equal(4, index.FilesHashed);
        var restarted = _share.CreateIndex();
        await restarted.RescanAsync();
        Assert.Equal(0, restarted.FilesHashed);
    }

    [Fact]
    public async Task RescanAsync_ChunkSizeChanged_RehashesEverything()
    {
        // Arrange
        SeedFiles();
        await _share.CreateIndex(chunkSize: 4096).RescanAsync();

        // Act
        var index = _share.CreateIndex(chunkSize: 8192);
        await index.RescanAsync();

        // Assert
        Assert.Equal(4, index.FilesHashed);
        Assert.All(index.Files, f => Assert.Equal(8192, f.ChunkSize));
    }

    [Fact]
    public async Task RescanAsync_StateDirectoryOutsideShare_PersistsThereAndLeavesShareUntouched()
    {
        // Arrange
        SeedFiles();
        var state = Path.Join(_share.Root, "state");
        var options = _share.Options();
        options.StateDirectory = state;

        // Act
        await TempShare.CreateIndex(options).RescanAsync();
        var restarted = TempShare.CreateIndex(options);
        await restarted.RescanAsync();

        // Assert
        Assert.True(File.Exists(Path.Join(state, "index.json")));
        Assert.False(Directory.Exists(Path.Join(_share.Share, ".p2pmesh")));
        Assert.Equal(0, restarted.FilesHashed);
    }

    [Fact]
    public async Task RescanAsync_AfterSave_OnlyIndexJsonInStateDirectoryAndNeverIndexed()
    {
        // Arrange
        SeedFiles();
        var index = _share.CreateIndex();

        // Act
        await index.RescanAsync();
        _share.Write("new.txt", [9]);
        await index.RescanAsync();

        // Assert
        Assert.Equal(["index.json"], Directory.GetFiles(Path.GetDirectoryName(CachePath)!).Select(Path.GetFileName));
        Assert.DoesNotContain(index.Files, f => f.Name.StartsWith(".p2pmesh", StringComparison.Ordinal));
        Assert.Equal(5, index.Count);
    }

    [Fact]
    public async Task RescanAsync_StateDirectoryNotWritable_LogsAndStillIndexes()
    {
        // Arrange
        SeedFiles();
        var blocker = Path.Join(_share.Root, "blocker");
        File.WriteAllText(blocker, "a file where the state directory should be");
        var options = _share.Options();
        options.StateDirectory = Path.Join(blocker, "state");
        var logger = new ListLogger<ContentIndex>();
        var index = TempShare.CreateIndex(options, logger);

        // Act
        await index.RescanAsync();

        // Assert
        Assert.Equal(4, index.Count);
        Assert.Contains(logger.Entries, e => e.EventId.Name == "HashCacheSaveFailed");
    }

    private void SeedFiles()
    {
        _share.Write("a.bin", TempShare.RandomBytes(10_000, seed: 1));
        _share.Write("docs/b.txt", TempShare.RandomBytes(100, seed: 2));
        _share.Write("docs/deeper/c.txt", TempShare.RandomBytes(4096, seed: 3));
        _share.Write("empty", []);
    }
}
