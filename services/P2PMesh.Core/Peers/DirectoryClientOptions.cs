using System.ComponentModel.DataAnnotations;
using P2PMesh.Contracts;

namespace P2PMesh.Core.Peers;

/// <summary>
/// The PServer as a client of the directory (docs/architecture.md, Directory and Search modes): where it is, how
/// <see cref="DirectoryAgent"/> keeps this peer's index there, and where <c>via = DIRECTORY | AUTO</c> searches go
/// (<see cref="Search.OriginSearch"/>). Bound from the <c>Directory</c> configuration section (environment:
/// <c>Directory__Secret</c> and so on). Without a secret the PServer does not log in and the mesh floods as before.
/// </summary>
public sealed class DirectoryClientOptions : IValidatableObject
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Directory";

    /// <summary>The configuration key that names the directory, as error messages quote it.</summary>
    public const string AddressKey = "Directory:Address";

    /// <summary>The directory, <c>host:port</c>; <c>null</c> (the default) for the Bootstrap (<see cref="NeighbourOptions.Bootstrap"/>), which serves it.</summary>
    public string? Address { get; set; }

    /// <summary>
    /// The directory this peer uses: <see cref="Address"/>, else the Bootstrap (<see cref="NeighbourOptions.Bootstrap"/>,
    /// whose process serves the directory); <c>null</c> when neither is set (or parses).
    /// </summary>
    public PeerAddress? ResolveAddress(NeighbourOptions neighbours)
    {
        ArgumentNullException.ThrowIfNull(neighbours);
        var text = string.IsNullOrEmpty(Address) ? neighbours.Bootstrap : Address;
        return !string.IsNullOrEmpty(text) && PeerAddress.TryParse(text, out var address, out _) ? address : null;
    }

    /// <summary>This peer's secret; <c>null</c> (the default) for the one in <see cref="SecretsDirectory"/>.</summary>
    public string? Secret { get; set; }

    /// <summary>
    /// A folder of secrets (a mounted Kubernetes Secret): this peer's is the file named after its id (<c>Peer:Id</c>),
    /// trailing white space trimmed, read at each login. <c>null</c> (the default) for none.
    /// </summary>
    public string? SecretsDirectory { get; set; }

    /// <summary>
    /// The secret of peer <paramref name="peerId"/>: <see cref="Secret"/>, else the file named after the id in
    /// <see cref="SecretsDirectory"/> (trailing white space trimmed); <c>null</c> when there is none or it cannot be read.
    /// </summary>
    public string? ReadSecret(string peerId)
    {
        if (!string.IsNullOrWhiteSpace(Secret))
        {
            return Secret;
        }
        if (string.IsNullOrWhiteSpace(SecretsDirectory))
        {
            return null;
        }
        try
        {
            var path = Path.Join(SecretsDirectory, peerId);
            return File.Exists(path) && File.ReadAllText(path).TrimEnd() is { Length: > 0 } secret ? secret : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Deadline of each directory call. Defaults to 10 seconds.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long after the index changes the delta is sent, so a burst of changes (a folder copied in) goes out as one.
    /// Zero or more. Defaults to 250 milliseconds.
    /// </summary>
    public TimeSpan DeltaDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The first retry delay while the directory is unreachable; doubled per failure up to <see cref="MaxRetryDelay"/>, each with jitter. Defaults to 1 second.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest retry delay. Defaults to 30 seconds.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The most entries in one <c>SendIndex</c> message (a bigger index goes out in several). Defaults to 5,000.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 5_000;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Address is not null && !PeerAddress.TryParse(Address, out _, out var error))
        {
            yield return new ValidationResult($"Address: {error}.", [nameof(Address)]);
        }
        if (CallTimeout <= TimeSpan.Zero || RetryDelay <= TimeSpan.Zero || DeltaDelay < TimeSpan.Zero)
        {
            yield return new ValidationResult("CallTimeout and RetryDelay must be positive, DeltaDelay not negative.",
                [nameof(CallTimeout), nameof(RetryDelay), nameof(DeltaDelay)]);
        }
        if (MaxRetryDelay < RetryDelay)
        {
            yield return new ValidationResult($"MaxRetryDelay ({MaxRetryDelay}) must be at least RetryDelay ({RetryDelay}).", [nameof(MaxRetryDelay)]);
        }
    }
}
