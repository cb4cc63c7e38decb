using P2PMesh.Contracts;

namespace P2PMesh.Core.Content;

/// <summary>The mesh's <see cref="SearchPattern"/> (P2PMesh.Contracts) applied to the content index's files.</summary>
public static class SearchPatternExtensions
{
    /// <summary>Whether <paramref name="file"/> matches <paramref name="pattern"/> (by its name or its SHA-256).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="pattern"/> or <paramref name="file"/> is <c>null</c>.</exception>
    public static bool Matches(this SearchPattern pattern, ContentFile file)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(file);
        return pattern.Matches(file.Name, file.Sha256);
    }
}
