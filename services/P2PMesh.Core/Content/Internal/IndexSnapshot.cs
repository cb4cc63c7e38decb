using System.Collections.ObjectModel;

namespace P2PMesh.Core.Content.Internal;

/// <summary>One immutable state of the index, swapped in whole after each scan so readers never lock.</summary>
internal sealed class IndexSnapshot
{
    public static readonly IndexSnapshot Empty = new([]);

    /// <param name="files">The files, sorted by name (ordinal).</param>
    public IndexSnapshot(ContentFile[] files)
    {
        Sorted = files;
        Files = new ReadOnlyCollection<ContentFile>(files);
        ByName = files.ToDictionary(f => f.Name, StringComparer.Ordinal);
        BySha256 = files
            .GroupBy(f => f.Sha256, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.OrdinalIgnoreCase);
        TotalBytes = files.Sum(f => f.Size);
    }

    public ContentFile[] Sorted { get; }

    public ReadOnlyCollection<ContentFile> Files { get; }

    public Dictionary<string, ContentFile> ByName { get; }

    public Dictionary<string, ContentFile[]> BySha256 { get; }

    public long TotalBytes { get; }
}
