namespace P2PMesh.ServiceDefaults.Admission;

/// <summary>
/// Whether a service admits only callers that prove who they are (docs/security.md, Admission). Bound from the
/// <c>Admission</c> section (environment: <c>Admission__Required</c>).
/// </summary>
public sealed class AdmissionOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Admission";

    /// <summary>
    /// When <c>true</c>, the mesh's RPCs (all but <c>Ping</c>, health, reflection and the directory's login and token
    /// methods) need a valid peer token (<see cref="PeerTokenFormat"/>) in <c>authorization: Bearer</c> metadata:
    /// UNAUTHENTICATED without one, PERMISSION_DENIED when the peer a request names is not the token's. <c>false</c>
    /// (the default for a bare service) admits anyone; the chart and <c>p2pmesh up</c> turn it on.
    /// </summary>
    public bool Required { get; set; }
}
