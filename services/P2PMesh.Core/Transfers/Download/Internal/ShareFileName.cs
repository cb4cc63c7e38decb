namespace P2PMesh.Core.Transfers.Download.Internal;

/// <summary>
/// The name a downloaded file gets in the share: a plain file name by <see cref="UploadName"/>'s rules
/// (never a path, so nothing lands outside the share), and a free one.
/// </summary>
internal static class ShareFileName
{
    /// <summary>The most "name (n).ext" variants tried before giving up.</summary>
    public const int MaxVariants = 1000;

    /// <summary>
    /// The name to use: <paramref name="requested"/> if given (already validated), else the last
    /// segment of the manifest's '/'-separated display name, else <paramref name="sha256"/> when that
    /// is not a valid plain name.
    /// </summary>
    public static string Choose(string? requested, string manifestName, string sha256)
    {
        if (requested is not null)
        {
            return requested;
        }
        var last = manifestName[(manifestName.LastIndexOfAny(['/', '\\']) + 1)..];
        return UploadName.IsValid(last, out _) ? last : sha256;
    }

    /// <summary><paramref name="name"/>, then "stem (1).ext", "stem (2).ext" and so on, up to <see cref="MaxVariants"/>.</summary>
    public static IEnumerable<string> Variants(string name)
    {
        yield return name;
        var extension = Path.GetExtension(name);
        var stem = name[..^extension.Length];
        if (stem.Length == 0)
        {
            (stem, extension) = (name, string.Empty);   // ".bashrc" is all stem
        }
        for (var i = 1; i < MaxVariants; i++)
        {
            var variant = $"{stem} ({i}){extension}";
            if (UploadName.IsValid(variant, out _))
            {
                yield return variant;
            }
        }
    }
}
