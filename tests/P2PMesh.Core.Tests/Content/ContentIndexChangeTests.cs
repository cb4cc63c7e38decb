namespace P2PMesh.Core.Tests.Content;

public sealed class ContentIndexChangeTests : IDisposable
{
    private readonly TempShare _share = new();

    public void Dispose() => _share.Dispose();

    [Fact]
    public async Task RescanAsync_FileAdded_IndexedAndChangedRaised()
    {
        // Arrange
        _share.Write("one.txt", [1]);
        var index = _share.CreateIndex();
        await index.RescanAsync();
        var raised = 0;
        index.Changed += (_, _) => raised++;
        var version = index.Version;

        // Act
        var bytes = TempShare.RandomBytes(5000, seed: 1);
        _share.Write("sub/two.bin", bytes);
        await index.RescanAsync();

        // Assert
        Assert.Equal(["one.txt", "sub/two.bin"], index.Files.Select(f => f.Name));
        ContentIndexHashingTests.AssertManifest(index.Files.Last(), bytes, 4096);
        Assert.Equal(1, raised);
        Assert.Equal(version + 1, index.Version);
    }

    [Fact]
    public async Task RescanAsync_FileChangedSameSize_Rehashed()
    {
        // Arrange
        var path = _share.Write("file.bin", TempShare.RandomBytes(9000, seed: 1));
        var index = _share.CreateIndex();
        await index.RescanAsync();
        var before = Assert.Single(index.Files);

        // Act
        var bytes = TempShare.RandomBytes(9000, seed: 2);
        File.WriteAllBytes(path, bytes);
        File.SetLastWriteTimeUtc(path, before.LastWriteTimeUtc.AddSeconds(5));
        await index.RescanAsync();

        // Assert
        var after = Assert.Single(index.Files);
        Assert.NotEqual(before.Sha256, after.Sha256);
        ContentIndexHashingTests.AssertManifest(after, bytes, 4096);
        Assert.Equal(2, index.FilesHashed);
    }

    [Fact]
    public async Task RescanAsync_FileRemoved_Dropped()
    {
        // Arrange
        _share.Write("keep.txt", [1]);
        var gone = _share.Write("dir/gone.txt", [2, 2]);
        var index = _share.CreateIndex();
        await index.RescanAsync();
        var raised = 0;
        index.Changed += (_, _) => raised++;

        // Act
        File.Delete(gone);
        await index.RescanAsync();

        // Assert
        Assert.Equal("keep.txt", Assert.Single(index.Files).Name);
        Assert.Equal(1, index.TotalBytes);
        Assert.Equal(1, raised);
        Assert.Null(index.FindBySha256(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData([2, 2]))));
    }

    [Fact]
    public async Task RescanAsync_NothingChanged_NoEventNoVersionNoHashing()
    {
        // Arrange
        _share.Write("a.txt", [1, 2, 3]);
        var index = _share.CreateIndex();
        await index.RescanAsync();
        var raised = 0;
        index.Changed += (_, _) => raised++;
        var files = index.Files;

        // Act
        await index.RescanAsync();

        // Assert
        Assert.Equal(0, raised);
        Assert.Equal(1, index.Version);
        Assert.Equal(1, index.FilesHashed);
        Assert.Same(files, index.Files);
        Assert.NotNull(index.LastScanCompleted);
    }

    [Fact]
    public async Task RescanAsync_ConcurrentCalls_SerializedAndEachFileHashedOnce()
    {
        // Arrange
        for (var i = 0; i < 20; i++)
        {
            _share.Write($"f{i}.bin", TempShare.RandomBytes(10_000, seed: i));
        }
        var index = _share.CreateIndex();

        // Act
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => index.RescanAsync())));

        // Assert
        Assert.Equal(20, index.Count);
        Assert.Equal(20, index.FilesHashed);
        Assert.Equal(1, index.Version);
    }

    [Fact]
    public async Task RescanAsync_Cancelled_ThrowsAndLeavesIndexUnchanged()
    {
        // Arrange
        _share.Write("a.txt", [1]);
        var index = _share.CreateIndex();
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        // Act + Assert
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => index.RescanAsync(cts.Token));
        Assert.Equal(0, index.Count);
        Assert.Null(index.LastScanCompleted);
        await index.RescanAsync();
        Assert.Equal(1, index.Count);
    }

    [Fact]
    public async Task RescanAsync_ShareDirectoryMissing_CreatesItEmpty()
    {
        // Arrange
        var missing = Path.Join(_share.Root, "not-yet");
        var index = TempShare.CreateIndex(new() { ShareDirectory = missing });

        // Act
        await index.RescanAsync();

        // Assert
        Assert.True(Directory.Exists(missing));
        Assert.Equal(0, index.Count);
    }

    [Fact]
    public async Task RescanAsync_ChangedHandlerThrows_ScanStillSucceeds()
    {
        // Arrange
        _share.Write("a.txt", [1]);
        var logger = new ListLogger<P2PMesh.Core.Content.ContentIndex>();
        var index = _share.CreateIndex(logger: logger);
        index.Changed += (_, _) => throw new InvalidOperationException("subscriber bug");

        // Act
        await index.RescanAsync();

        // Assert
        Assert.Equal(1, index.Count);
        Assert.Contains(logger.Entries, e => e.EventId.Id == 310);
    }
}
