using System.ComponentModel.DataAnnotations;

namespace P2PMesh.Core.Transfers.Download;

/// <summary>
/// Settings of the download engine (docs/architecture.md, Transfers: multi-source, verified, resumable downloads).
/// Bound from the <c>Downloads</c> configuration section (environment: <c>Downloads__MaxInFlightPerSource</c>
/// and so on) and validated at startup by <see cref="DownloadOptionsValidator"/>.
/// </summary>
public sealed class DownloadOptions : IValidatableObject
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Downloads";

    /// <summary>
    /// How many chunks are requested from one source at the same time, 1 to 64. Each one in flight holds
    /// one pooled buffer of the file's chunk size, so memory is bounded by this × chunk size × sources.
    /// Defaults to 4.
    /// </summary>
    [Range(1, 64)]
    public int MaxInFlightPerSource { get; set; } = 4;

    /// <summary>
    /// The deadline of one chunk's <c>ReadChunks</c> call; a source that misses it is dropped. Greater
    /// than zero and at most one day. Defaults to 30 seconds.
    /// </summary>
    public TimeSpan ChunkTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The deadline of one <c>GetManifest</c> call; a source that misses it is dropped. Greater than zero
    /// and at most one day. Defaults to 10 seconds.
    /// </summary>
    public TimeSpan ManifestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, value) in new[] { (nameof(ChunkTimeout), ChunkTimeout), (nameof(ManifestTimeout), ManifestTimeout) })
        {
            if (value <= TimeSpan.Zero || value > TimeSpan.FromDays(1))
            {
                yield return new ValidationResult(
                    $"{SectionName}:{name} must be greater than zero and at most one day, got {value}.", [name]);
            }
        }
    }
}
