using System.ComponentModel.DataAnnotations;

namespace P2PMesh.Core.Content;

/// <summary>
/// Settings of the content index (docs/architecture.md, Content store). Bound from the <c>Content</c>
/// configuration section (environment: <c>Content__ShareDirectory</c> and so on) and validated at
/// startup by <see cref="ContentIndexOptionsValidator"/>.
/// </summary>
public sealed class ContentIndexOptions : IValidatableObject
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Content";

    /// <summary>The default <see cref="ChunkSize"/>: 1,048,576 bytes (1 MiB).</summary>
    public const int DefaultChunkSize = 1024 * 1024;

    /// <summary>The smallest <see cref="ChunkSize"/>: 4,096 bytes (4 KiB).</summary>
    public const int MinChunkSize = 4 * 1024;

    /// <summary>The largest <see cref="ChunkSize"/>: 67,108,864 bytes (64 MiB).</summary>
    public const int MaxChunkSize = 64 * 1024 * 1024;

    /// <summary>The name of the state directory used when <see cref="StateDirectory"/> is <c>null</c>.</summary>
    public const string DefaultStateDirectoryName = ".p2pmesh";

    /// <summary>
    /// The share: every regular file below it is indexed. Relative paths are resolved against the
    /// current directory. Created at the first scan if missing. Required.
    /// </summary>
    [Required(ErrorMessage = "Content:ShareDirectory is required.")]
    public string ShareDirectory { get; set; } = "";

    /// <summary>
    /// The manifest chunk length in bytes, 4 KiB to 64 MiB. Defaults to 1,048,576 (1 MiB). Changing it
    /// re-hashes every file at the next scan.
    /// </summary>
    [Range(MinChunkSize, MaxChunkSize)]
    public int ChunkSize { get; set; } = DefaultChunkSize;

    /// <summary>
    /// How often <see cref="ContentIndexService"/> rescans the share even without a file-system
    /// notification: at least 100 ms, or <see cref="Timeout.InfiniteTimeSpan"/> for never. Defaults to 30 seconds.
    /// </summary>
    public TimeSpan RescanInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether <see cref="ContentIndexService"/> watches the share with a <see cref="FileSystemWatcher"/>
    /// and rescans on change. Turn off for file systems without change notifications (some network
    /// shares); <see cref="RescanInterval"/> still applies. Defaults to <c>true</c>.
    /// </summary>
    public bool WatchForChanges { get; set; } = true;

    /// <summary>
    /// Where the persisted hash cache (<c>index.json</c>) lives. <c>null</c> (the default) means
    /// <c>&lt;ShareDirectory&gt;/.p2pmesh</c>. When it lies inside the share it is never indexed. It must
    /// not be the share itself.
    /// </summary>
    public string? StateDirectory { get; set; }

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RescanInterval != Timeout.InfiniteTimeSpan && RescanInterval < TimeSpan.FromMilliseconds(100))
        {
            yield return new ValidationResult(
                $"Content:RescanInterval must be at least 100 ms or infinite (-00:00:00.001), got {RescanInterval}.",
                [nameof(RescanInterval)]);
        }
        if (!string.IsNullOrWhiteSpace(ShareDirectory) && !string.IsNullOrWhiteSpace(StateDirectory) &&
            string.Equals(
                Path.TrimEndingDirectorySeparator(Path.GetFullPath(ShareDirectory)),
                Path.TrimEndingDirectorySeparator(Path.GetFullPath(StateDirectory)),
                OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
        {
            yield return new ValidationResult(
                "Content:StateDirectory must not be the share directory itself.",
                [nameof(StateDirectory)]);
        }
    }
}
