using System.Text;
using System.Text.RegularExpressions;
using P2PMesh.Contracts;

namespace P2PMesh.Core.Tests.Content;

/// <summary>
/// The glob matcher's cost (issue 13: a 1 KB glob <c>*a</c>×511 + <c>*b</c> cost 0.3–0.7 CPU-s at every peer a flood
/// reached): at most name length × pattern length comparisons, counted, never timed; and the same answers as a regex.
/// </summary>
public sealed class GlobCostTests
{
    [Fact]
    public void Parse_TooManyWildcards_IsRefusedNamingTheLimit()
    {
        var hostile = string.Concat(Enumerable.Repeat("*a", 511)) + "*b";
        var error = Assert.Throws<FormatException>(() => SearchPattern.Parse(hostile));
        Assert.Contains($"at most {SearchPattern.MaxWildcards}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GlobMatches_HostilePatterns_CostAtMostNameTimesPattern()
    {
        // The worst allowed shapes: the most wildcards, each segment almost matching everywhere.
        var name = new string('a', 255);
        string[] globs =
        [
            string.Concat(Enumerable.Repeat("*a", SearchPattern.MaxWildcards - 1)) + "*b",
            string.Concat(Enumerable.Repeat("*" + new string('a', 60) + "b", SearchPattern.MaxWildcards)),
            new string('?', 254) + "*b",
            "*" + new string('a', 1000) + "b",
        ];
        foreach (var glob in globs)
        {
            Assert.False(SearchPattern.GlobMatches(glob, name, out var comparisons));
            Assert.InRange(comparisons, 0, (long)name.Length * glob.Length);
        }
    }

    [Fact]
    public void GlobMatches_RandomPatterns_AgreeWithAnchoredRegex()
    {
        var random = new Random(1313);
        const string alphabet = "aAbB.";
        for (var i = 0; i < 20_000; i++)
        {
            var name = RandomText(random, alphabet, random.Next(0, 12));
            var glob = RandomText(random, alphabet + "*?", random.Next(0, 10));
            var expected = Regex.IsMatch(name, "\\A" + string.Concat(glob.Select(c => c switch
            {
                '*' => ".*",
                '?' => ".",
                _ => Regex.Escape(c.ToString()),
            })) + "\\z", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);
            Assert.True(expected == SearchPattern.GlobMatches(glob, name, out _), $"glob '{glob}' on '{name}': expected {expected}");
        }
    }

    private static string RandomText(Random random, string alphabet, int length)
    {
        var text = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            text.Append(alphabet[random.Next(alphabet.Length)]);
        }
        return text.ToString();
    }
}
