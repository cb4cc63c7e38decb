using System.ComponentModel.DataAnnotations;

namespace P2PMesh.Core.Search;

/// <summary>
/// Flood search settings (docs/architecture.md, Flood search). Bound from the <c>Search</c> configuration
/// section (environment: <c>Search__MaxTtl</c> and so on).
/// </summary>
public sealed class FloodOptions : IValidatableObject
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Search";

    /// <summary>TTL used by clients that do not choose one (REST, CLI). Defaults to 7.</summary>
    [Range(1, 255)]
    public int DefaultTtl { get; set; } = 7;

    /// <summary>
    /// The largest TTL accepted from a client (larger is INVALID_ARGUMENT), and the most hops a query
    /// may travel through this peer: a forwarded query whose ttl + hops exceeds it is cut to fit.
    /// Defaults to 10.
    /// </summary>
    [Range(1, 255)]
    public int MaxTtl { get; set; } = 10;

    /// <summary>
    /// The most floods this peer runs at once (its own searches and the forwards it relays); one more is answered
    /// RESOURCE_EXHAUSTED at once (the forwarder records an error edge and its statistics still reach the origin), so a
    /// burst of floods cannot tie up every peer's threads and connections. 1..100,000. Defaults to 512.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxConcurrentFloods { get; set; } = 512;

    /// <summary>How many query ids the seen-cache remembers; the oldest are forgotten first. Defaults to 100,000.</summary>
    [Range(16, 10_000_000)]
    public int SeenCacheCapacity { get; set; } = 100_000;

    /// <summary>How long a query id is remembered. Defaults to 5 minutes.</summary>
    public TimeSpan SeenCacheExpiry { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a search may run when its caller set no deadline. Defaults to 10 seconds.</summary>
    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The least time kept back at each hop (<see cref="KeepBack"/>): a peer gives its neighbours its own deadline
    /// minus the time kept back, and stops waiting for them at its deadline minus half of it, leaving time to send its
    /// statistics before its caller gives up. Defaults to 20 ms.
    /// </summary>
    public TimeSpan HopMargin { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// The time a peer keeps back from a deadline <paramref name="left"/> away: a tenth of it, at least
    /// <see cref="HopMargin"/>. Proportional, because a busy host needs more than a fixed few milliseconds to send
    /// the statistics of a long flood (200 concurrent floods on 20 peers of a 2-core machine did not make 20 ms).
    /// </summary>
    public TimeSpan KeepBack(TimeSpan left) => TimeSpan.FromTicks(Math.Max(HopMargin.Ticks, left.Ticks / 10));

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (DefaultTtl > MaxTtl)
        {
            yield return new ValidationResult($"DefaultTtl ({DefaultTtl}) must not exceed MaxTtl ({MaxTtl}).", [nameof(DefaultTtl)]);
        }
        if (SeenCacheExpiry <= TimeSpan.Zero || DefaultTimeout <= TimeSpan.Zero || HopMargin < TimeSpan.Zero)
        {
            yield return new ValidationResult("SeenCacheExpiry and DefaultTimeout must be positive, HopMargin not negative.");
        }
    }
}
