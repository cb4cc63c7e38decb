using System.ComponentModel.DataAnnotations;
using System.Net;
using P2PMesh.ServiceDefaults;

namespace P2PMesh.PServer;

/// <summary>
/// Who this peer is and where its gRPC endpoint listens. Bound from the <c>Peer</c> configuration
/// section (environment: <c>Peer__Id</c>, <c>Peer__GrpcPort</c>, <c>Peer__AdvertisedAddress</c>).
/// </summary>
public sealed class PeerNodeOptions : IGrpcEndpointOptions, IValidatableObject
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Peer";

    /// <summary>The peer's stable id; defaults to the host name (the pod name on Kubernetes).</summary>
    [Required]
    public string Id { get; set; } = Environment.MachineName;

    /// <summary>
    /// The IP address the gRPC endpoint binds: <c>0.0.0.0</c> (the default, all IPv4 interfaces, as in a
    /// pod) or e.g. <c>127.0.0.1</c> for a local mesh.
    /// </summary>
    [Required]
    public string ListenAddress { get; set; } = "0.0.0.0";

    /// <summary>The TCP port of the plaintext HTTP/2 gRPC endpoint; 0 picks a free port. Defaults to 7000.</summary>
    [Range(0, 65535)]
    public int GrpcPort { get; set; } = 7000;

    /// <summary>
    /// The <c>host:port</c> other peers dial to reach this one; <c>null</c> (the default) means the host
    /// name and the port actually bound.
    /// </summary>
    public string? AdvertisedAddress { get; set; }

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IPAddress.TryParse(ListenAddress, out _))
        {
            yield return new ValidationResult($"ListenAddress '{ListenAddress}' is not an IP address.", [nameof(ListenAddress)]);
        }
    }
}
