using System.ComponentModel.DataAnnotations;
using P2PMesh.Contracts;

namespace P2PMesh.Core.Peers;

/// <summary>
/// How a peer keeps its neighbour links (docs/architecture.md, Neighbours). Bound from the <c>Neighbours</c>
/// configuration section (environment: <c>Neighbours__TargetDegree</c> and so on).
/// </summary>
public sealed class NeighbourOptions : IValidatableObject
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Neighbours";

    /// <summary>How many neighbours the peer seeks (d). Defaults to 4.</summary>
    [Range(1, 64)]
    public int TargetDegree { get; set; } = 4;

    /// <summary>
    /// The most neighbours the peer accepts; further Link requests get RESOURCE_EXHAUSTED.
    /// <c>null</c> (the default) means 2 × <see cref="TargetDegree"/>.
    /// </summary>
    [Range(1, 128)]
    public int? MaxDegree { get; set; }

    /// <summary>The maximum in force: <see cref="MaxDegree"/> or 2 × <see cref="TargetDegree"/>.</summary>
    public int EffectiveMaxDegree => MaxDegree ?? 2 * TargetDegree;

    /// <summary>How often neighbours are pinged and missing links sought. Defaults to 2 seconds.</summary>
    public TimeSpan MaintenanceInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Deadline of each Ping, Link, GetNeighbours and bootstrap call. Defaults to 2 seconds.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Consecutive failed pings after which a neighbour is dropped as dead. Defaults to 2.</summary>
    [Range(1, 100)]
    public int MaxMissedPings { get; set; } = 2;

    /// <summary>
    /// Whether the peer seeks neighbours by itself (bootstrap, peer exchange, DNS seeds) when it has
    /// fewer than <see cref="TargetDegree"/>. Defaults to <c>true</c>; fixed topologies turn it off.
    /// </summary>
    public bool AutoDiscover { get; set; } = true;

    /// <summary>The Bootstrap service, <c>host:port</c>; <c>null</c> for none.</summary>
    public string? Bootstrap { get; set; }

    /// <summary>
    /// A DNS name whose A/AAAA records are peers (the Kubernetes headless Service, e.g.
    /// <c>peer.mesh.svc.cluster.local</c>); <c>null</c> for none.
    /// </summary>
    public string? DnsSeed { get; set; }

    /// <summary>The PServer port of the peers behind <see cref="DnsSeed"/>. Defaults to 7000.</summary>
    [Range(1, 65535)]
    public int DnsSeedPort { get; set; } = 7000;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (EffectiveMaxDegree < TargetDegree)
        {
            yield return new ValidationResult($"MaxDegree ({MaxDegree}) must be at least TargetDegree ({TargetDegree}).", [nameof(MaxDegree)]);
        }
        if (MaintenanceInterval <= TimeSpan.Zero || CallTimeout <= TimeSpan.Zero)
        {
            yield return new ValidationResult("MaintenanceInterval and CallTimeout must be positive.", [nameof(MaintenanceInterval), nameof(CallTimeout)]);
        }
        if (Bootstrap is not null && !PeerAddress.TryParse(Bootstrap, out _, out var error))
        {
            yield return new ValidationResult($"Bootstrap: {error}.", [nameof(Bootstrap)]);
        }
    }
}
