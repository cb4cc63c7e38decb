using P2PMesh.Contracts;
using P2PMesh.Core.Content;

namespace P2PMesh.Core.Tests.Content;

public sealed class SearchPatternTests
{
    private const string Hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    [Theory]
    [InlineData("*.ISO", "Ubuntu.iso", true)]
    [InlineData("*.ISO", "isos/Ubuntu.iso", true)]
    [InlineData("*.iso", "Ubuntu.iso.part", false)]
    [InlineData("report-202?.pdf", "REPORT-2024.pdf", true)]
    [InlineData("report-202?.pdf", "report-202.pdf", false)]
    [InlineData("report-202?.pdf", "report-20245.pdf", false)]
    [InlineData("*", "dir/anything", true)]
    [InlineData("dir*", "dir/file.txt", false)]
    [InlineData("file.txt", "dir/file.txt", true)]
    public void Matches_Glob_OnFileNameCaseInsensitively(string pattern, string name, bool expected) =>
        Assert.Equal(expected, SearchPattern.Parse(pattern).Matches(File(name)));

    [Theory]
    [InlineData("[a].txt", "[a].txt", true)]
    [InlineData("[a].txt", "a.txt", false)]
    [InlineData("file.txt", "fileXtxt", false)]
    [InlineData("a+b (1).txt", "a+b (1).txt", true)]
    [InlineData("a+b (1).txt", "aab (1).txt", false)]
    [InlineData("^x$|.*", "^x$|.*", true)]
    [InlineData("^x$|.*", "anything", false)]
    [InlineData("x{1,3}", "xx", false)]
    [InlineData("x{1,3}", "X{1,3}", true)]
    [InlineData("a?b", "a\nb", true)]
    public void Matches_RegexCharacters_TakenLiterally(string pattern, string name, bool expected) =>
        Assert.Equal(expected, SearchPattern.Parse(pattern).Matches(File(name)));

    [Theory]
    [InlineData("sha256:")]
    [InlineData("SHA256:")]
    public void Parse_Sha256UpperCaseHex_MatchesByHash(string prefix)
    {
        // Act
        var pattern = SearchPattern.Parse(prefix + Hash.ToUpperInvariant());

        // Assert
        Assert.True(pattern.IsSha256);
        Assert.Equal(Hash, pattern.Sha256);
        Assert.True(pattern.Matches(File("whatever.bin")));
        Assert.False(pattern.Matches(File("whatever.bin") with { Sha256 = new string('0', 64) }));
    }

    [Fact]
    public void Parse_Glob_IsNotSha256()
    {
        var pattern = SearchPattern.Parse("*.iso");

        Assert.False(pattern.IsSha256);
        Assert.Null(pattern.Sha256);
        Assert.Equal("*.iso", pattern.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("sha256:abc")]
    [InlineData("sha256:" + "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0g")]
    [InlineData("sha256:" + "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0800")]
    [InlineData("dir/*.txt")]
    [InlineData("dir\\*.txt")]
    public void Parse_Invalid_ThrowsFormatException(string pattern)
    {
        var ex = Assert.Throws<FormatException>(() => SearchPattern.Parse(pattern));
        Assert.False(string.IsNullOrWhiteSpace(ex.Message));
    }

    [Fact]
    public void Parse_TooLong_ThrowsFormatException()
    {
        Assert.Throws<FormatException>(() => SearchPattern.Parse(new string('a', 2000)));
        // The longest accepted glob, with the most wildcards, works.
        var longest = new string('*', SearchPattern.MaxWildcards) + new string('?', SearchPattern.MaxLength - SearchPattern.MaxWildcards);
        Assert.True(SearchPattern.Parse(longest).Matches(File(new string('n', SearchPattern.MaxLength))));
        Assert.False(SearchPattern.Parse(longest).Matches(File("any.name")));
    }

    [Fact]
    public void Parse_Null_ThrowsArgumentNullException() =>
        Assert.Throws<ArgumentNullException>(() => SearchPattern.Parse(null!));

    private static ContentFile File(string name) => new(name, 1, Hash, 4096, [Hash], DateTime.UnixEpoch);
}
