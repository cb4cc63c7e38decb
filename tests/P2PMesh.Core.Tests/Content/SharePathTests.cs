using P2PMesh.Core.Content.Internal;

namespace P2PMesh.Core.Tests.Content;

public sealed class SharePathTests : IDisposable
{
    private readonly TempShare _share = new();

    public void Dispose() => _share.Dispose();

    [Theory]
    [InlineData("a.txt", true)]
    [InlineData("dir/sub/a.txt", true)]
    [InlineData(".hidden", true)]
    [InlineData("a..b", true)]
    [InlineData("..", false)]
    [InlineData("../a", false)]
    [InlineData("a/../b", false)]
    [InlineData("a/./b", false)]
    [InlineData("a//b", false)]
    [InlineData("a/", false)]
    [InlineData("/a", false)]
    [InlineData("a\0b", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsValidName_Name_Expected(string? name, bool expected) => Assert.Equal(expected, SharePath.IsValidName(name));

    [Theory]
    [InlineData("/a/b", "/a/b/c", true)]
    [InlineData("/a/b/", "/a/b/c", true)]
    [InlineData("/a/b", "/a/bc", false)]
    [InlineData("/a/b", "/a/b", false)]
    [InlineData("/a/b", "/a", false)]
    [InlineData("/", "/a", true)]
    public void IsInside_Paths_Expected(string directory, string path, bool expected)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        Assert.Equal(expected, SharePath.IsInside(directory, path));
    }

    [Fact]
    public void GetRealPath_ChainOfLinksWithDotDot_ResolvesPhysically()
    {
        // Arrange: share/l1 -> outside/x (dir); share/l2 -> l1/../y  resolves to outside/y, not share/y.
        Directory.CreateDirectory(Path.Join(_share.Outside, "x"));
        _share.WriteOutside("y", [1]);
        Directory.CreateSymbolicLink(_share.PathOf("l1"), Path.Join(_share.Outside, "x"));
        File.CreateSymbolicLink(_share.PathOf("l2"), Path.Join("l1", "..", "y"));

        // Act
        var real = SharePath.GetRealPath(_share.PathOf("l2"));

        // Assert
        Assert.Equal(Path.Join(_share.Outside, "y"), real);
    }

    [Fact]
    public void GetRealPath_AbsoluteTargetWithDotDotAfterLink_ResolvesPhysically()
    {
        // Arrange: share/out -> outside/deep/x; share/f -> "<share>/out/../y" is outside/deep/y, although
        // folding ".." by text would give share/y.
        Directory.CreateDirectory(Path.Join(_share.Outside, "deep", "x"));
        _share.WriteOutside("deep/y", [1]);
        _share.Write("y", [2]);
        Directory.CreateSymbolicLink(_share.PathOf("out"), Path.Join(_share.Outside, "deep", "x"));
        File.CreateSymbolicLink(_share.PathOf("f"), _share.PathOf("out") + "/../y");

        // Act
        var real = SharePath.GetRealPath(_share.PathOf("f"));

        // Assert
        Assert.Equal(Path.Join(_share.Outside, "deep", "y"), real);
    }

    [Fact]
    public void GetRealPath_LinkLoop_ReturnsNull()
    {
        File.CreateSymbolicLink(_share.PathOf("a"), "b");
        File.CreateSymbolicLink(_share.PathOf("b"), "a");

        Assert.Null(SharePath.GetRealPath(_share.PathOf("a")));
    }

    [Fact]
    public void GetRealPath_MissingComponents_KeptAsWritten()
    {
        Assert.Equal(_share.PathOf("no/such/file"), SharePath.GetRealPath(_share.PathOf("no/such/file")));
    }
}
