namespace P2PMesh.Core.Content.Internal;

/// <summary>
/// Path checks that keep every read inside the share (docs/architecture.md, Content store: no request
/// reaches a path outside the share; <c>..</c>, absolute paths and links out are rejected).
/// </summary>
internal static class SharePath
{
    /// <summary>How many links one resolution may follow (Linux's MAXSYMLINKS).</summary>
    private const int MaxLinks = 40;

    /// <summary>How paths compare: case-insensitively on Windows only, so elsewhere a case mismatch errs on "outside".</summary>
    public static StringComparison Comparison { get; } =
        OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    private static readonly char[] Separators = OperatingSystem.IsWindows() ? ['\\', '/'] : ['/'];

    /// <summary>
    /// The canonical absolute path of <paramref name="path"/> with every symbolic link in every component
    /// resolved, like POSIX <c>realpath(3)</c> (https://pubs.opengroup.org/onlinepubs/9799919799/functions/realpath.html),
    /// except that components that do not exist are kept as written (callers check existence).
    /// </summary>
    /// <returns>The path, or <c>null</c> when a link loop (more than 40 links) or an unreadable link is met.</returns>
    public static string? GetRealPath(string path)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full)!;
        var pending = new Stack<string>();
        PushSegments(pending, full.AsSpan(root.Length));
        var current = root;
        var links = 0;
        while (pending.TryPop(out var segment))
        {
            if (segment == ".")
            {
                continue;
            }
            if (segment == "..")
            {
                // current never contains a link, so its parent is its physical parent.
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }
            var candidate = Path.Join(current, segment);
            string? target;
            try
            {
                target = ReadLink(candidate);
            }
            catch (UnauthorizedAccessException)
            {
                return null;
            }
            catch (IOException)
            {
                target = null;
            }
            if (target is null)
            {
                current = candidate;
                continue;
            }
            if (++links > MaxLinks)
            {
                return null;
            }
            if (Path.IsPathRooted(target))
            {
                // Not Path.GetFullPath: that folds "link/.." lexically, and the walk must do it physically.
                var targetRoot = Path.GetPathRoot(target)!;
                PushSegments(pending, target.AsSpan(targetRoot.Length));
                current = targetRoot;
            }
            else
            {
                PushSegments(pending, target);
            }
        }
        return current;
    }

    /// <summary>Whether <paramref name="path"/> lies strictly below <paramref name="directory"/> (both canonical).</summary>
    public static bool IsInside(string directory, string path)
    {
        var dir = Path.TrimEndingDirectorySeparator(directory.AsSpan());
        if (dir.IsEmpty || !path.AsSpan().StartsWith(dir, Comparison))
        {
            return false;
        }
        // A root ("/", "C:") keeps its separator.
        return IsSeparator(dir[^1])
            ? path.Length > dir.Length
            : path.Length > dir.Length + 1 && IsSeparator(path[dir.Length]);
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="directory"/> or lies below it (both canonical).</summary>
    public static bool IsSameOrInside(string directory, string path) =>
        Path.TrimEndingDirectorySeparator(path.AsSpan()).Equals(Path.TrimEndingDirectorySeparator(directory.AsSpan()), Comparison) ||
        IsInside(directory, path);

    /// <summary>
    /// Whether <paramref name="name"/> is a well-formed <see cref="ContentFile.Name"/>: relative,
    /// <c>'/'</c>-separated, no empty, <c>.</c> or <c>..</c> segments, no NUL; on Windows also no
    /// <c>'\'</c> or <c>':'</c> (drive letters, alternate data streams).
    /// </summary>
    public static bool IsValidName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 4096 || name.Contains('\0') || Path.IsPathRooted(name))
        {
            return false;
        }
        if (OperatingSystem.IsWindows() && name.AsSpan().IndexOfAny('\\', ':') >= 0)
        {
            return false;
        }
        foreach (var range in name.AsSpan().Split('/'))
        {
            var segment = name.AsSpan()[range];
            if (segment.IsEmpty || segment is "." or "..")
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The absolute path of <paramref name="name"/> (already validated) below <paramref name="root"/>.</summary>
    public static string Combine(string root, string name) =>
        Path.Join(root, Path.DirectorySeparatorChar == '/' ? name : name.Replace('/', Path.DirectorySeparatorChar));

    private static bool IsSeparator(char c) => c == Path.DirectorySeparatorChar || c == Path.AltDirectorySeparatorChar;

    private static string? ReadLink(string path)
    {
        FileSystemInfo info = OperatingSystem.IsWindows() && Directory.Exists(path) ? new DirectoryInfo(path) : new FileInfo(path);
        return info.LinkTarget;
    }

    private static void PushSegments(Stack<string> pending, ReadOnlySpan<char> path)
    {
        var segments = path.ToString().Split(Separators, StringSplitOptions.RemoveEmptyEntries);
        for (var i = segments.Length - 1; i >= 0; i--)
        {
            pending.Push(segments[i]);
        }
    }
}
