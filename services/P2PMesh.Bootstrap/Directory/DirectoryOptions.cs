using System.ComponentModel.DataAnnotations;

namespace P2PMesh.Bootstrap.Directory;

/// <summary>
/// The directory the Bootstrap serves (<c>p2pmesh.v1.PeerDirectory</c>, protos/p2pmesh/v1/directory.proto;
/// docs/architecture.md, Directory). Bound from the <c>Directory</c> configuration section (environment:
/// <c>Directory__Secrets__p0</c>, <c>Directory__DatabasePath</c> and so on) and validated at startup by
/// <see cref="DirectoryOptionsValidator"/>.
/// </summary>
public sealed class DirectoryOptions : IValidatableObject
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Directory";

    /// <summary>
    /// Per-peer secrets, peer id → secret (<c>Directory:Secrets:&lt;peerId&gt;</c>). A peer id with no secret here nor in
    /// <see cref="SecretsDirectory"/> cannot log in. Empty by default.
    /// </summary>
    public Dictionary<string, string> Secrets { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// A folder of secrets, file name = peer id, content = secret (trailing white space trimmed): the layout of a mounted
    /// Kubernetes Secret. Read at each login, so a rotated secret takes effect without a restart. <c>null</c> (the
    /// default) for none. A secret there wins over one in <see cref="Secrets"/>.
    /// </summary>
    public string? SecretsDirectory { get; set; }

    /// <summary>
    /// The SQLite file holding the sessions and the index, written through on every change and loaded at start
    /// (created if missing); <c>null</c> or empty (the default) keeps them in memory only.
    /// </summary>
    public string? DatabasePath { get; set; }

    /// <summary>
    /// How long a peer token (<c>IssueToken</c>) stays valid; holders renew at half of it. 1 minute..1 day. Defaults to
    /// 1 hour.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How often peers should send a DIGEST update when nothing changed (<c>LoginReply.digest_interval</c>). Must be
    /// positive. Defaults to 30 seconds.
    /// </summary>
    public TimeSpan DigestInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The most files the directory holds for one peer; an update above it is refused with RESOURCE_EXHAUSTED and not
    /// applied. 1..10,000,000. Defaults to 100,000.
    /// </summary>
    [Range(1, 10_000_000)]
    public int MaxFilesPerPeer { get; set; } = 100_000;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (DigestInterval <= TimeSpan.Zero)
        {
            yield return new ValidationResult($"DigestInterval ({DigestInterval}) must be positive.", [nameof(DigestInterval)]);
        }
        foreach (var (peerId, secret) in Secrets)
        {
            if (string.IsNullOrWhiteSpace(secret))
            {
                yield return new ValidationResult($"Secrets:{peerId} is empty.", [nameof(Secrets)]);
            }
        }
    }
}
