using System.ComponentModel.DataAnnotations;
using System.Net;
using P2PMesh.ServiceDefaults;

namespace P2PMesh.Bootstrap;

/// <summary>
/// Where the Bootstrap listens and how it samples and expires peers (docs/architecture.md, Bootstrap). Bound from
/// the <c>Bootstrap</c> configuration section (environment: <c>Bootstrap__GrpcPort</c>,
/// <c>Bootstrap__PeerExpiry</c> and so on) and validated at startup by
/// <see cref="BootstrapOptionsValidator"/>; invalid values stop the process with an
/// <see cref="Microsoft.Extensions.Options.OptionsValidationException"/>.
/// </summary>
public sealed class BootstrapOptions : IGrpcEndpointOptions, IValidatableObject
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Bootstrap";

    /// <summary>
    /// The IP address the gRPC endpoint binds: <c>0.0.0.0</c> (the default, all IPv4 interfaces, as in a
    /// pod) or e.g. <c>127.0.0.1</c> for a local mesh. Must parse as an IP address.
    /// </summary>
    [Required]
    public string ListenAddress { get; set; } = "0.0.0.0";

    /// <summary>The TCP port of the plaintext HTTP/2 gRPC endpoint; 0 picks a free port. Defaults to 7100.</summary>
    [Range(0, 65535)]
    public int GrpcPort { get; set; } = 7100;

    /// <summary>
    /// The most peers registered from one source address (the caller's IP) at a time; a Join beyond it is refused with
    /// RESOURCE_EXHAUSTED (docs/security.md, Sybil joins), so one host cannot fill the registry. 1..100,000. Defaults
    /// to 64 (a local mesh registers every peer from 127.0.0.1).
    /// </summary>
    [Range(1, 100_000)]
    public int MaxPeersPerSource { get; set; } = 64;

    /// <summary>
    /// The most peers a <c>Join</c> returns (fewer when fewer other peers are live), 1..100.
    /// Defaults to 8.
    /// </summary>
    [Range(1, 100)]
    public int SampleSize { get; set; } = 8;

    /// <summary>
    /// How often peers should send <c>Heartbeat</c>; returned to them in <c>JoinReply.heartbeat_interval</c>
    /// and also the period of the expiry sweep. Must be positive. Defaults to 10 seconds.
    /// </summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long after its last <c>Join</c> or <c>Heartbeat</c> a peer is dropped. Must be longer than
    /// <see cref="HeartbeatInterval"/> (a few intervals, so one lost heartbeat does not drop a peer).
    /// Defaults to 30 seconds.
    /// </summary>
    public TimeSpan PeerExpiry { get; set; } = TimeSpan.FromSeconds(30);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IPAddress.TryParse(ListenAddress, out _))
        {
            yield return new ValidationResult($"ListenAddress '{ListenAddress}' is not an IP address.", [nameof(ListenAddress)]);
        }
        if (HeartbeatInterval <= TimeSpan.Zero)
        {
            yield return new ValidationResult($"HeartbeatInterval ({HeartbeatInterval}) must be positive.", [nameof(HeartbeatInterval)]);
        }
        if (PeerExpiry <= HeartbeatInterval)
        {
            yield return new ValidationResult(
                $"PeerExpiry ({PeerExpiry}) must be longer than HeartbeatInterval ({HeartbeatInterval}).",
                [nameof(PeerExpiry), nameof(HeartbeatInterval)]);
        }
    }
}
