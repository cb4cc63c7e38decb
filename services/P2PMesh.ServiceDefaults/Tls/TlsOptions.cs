using System.ComponentModel.DataAnnotations;

namespace P2PMesh.ServiceDefaults.Tls;

/// <summary>
/// Mutual TLS on the mesh's gRPC connections (docs/security.md, Transport). Bound from the <c>Tls</c> section
/// (<c>Tls__Enabled</c>, <c>Tls__CertificateFile</c> and so on): the files a Kubernetes TLS Secret holds
/// (<c>tls.crt</c>, <c>tls.key</c>, <c>ca.crt</c>) or what <c>p2pmesh up --tls</c> writes.
/// </summary>
public sealed class TlsOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Tls";

    /// <summary>
    /// When <c>true</c>, the service's gRPC port speaks only TLS and demands a client certificate from the mesh CA, and
    /// every gRPC call it makes goes over TLS with its certificate. <c>false</c> (the default for a bare service and
    /// <c>p2pmesh up</c> without <c>--tls</c>): plaintext HTTP/2.
    /// </summary>
    public bool Enabled { get; set; }

    /// <summary>The PEM certificate of this process (leaf first, then any intermediates).</summary>
    public string? CertificateFile { get; set; }

    /// <summary>The PEM private key of <see cref="CertificateFile"/> (PKCS#8, PKCS#1 or SEC1).</summary>
    public string? KeyFile { get; set; }

    /// <summary>The PEM bundle of the certificate authorities peers' certificates must chain to.</summary>
    public string? CaFile { get; set; }

    /// <summary>
    /// A plaintext HTTP/2 port serving only <c>grpc.health.v1.Health</c>, for kubelet's <c>grpc:</c> probes, which cannot
    /// speak TLS; every other path on it is answered UNIMPLEMENTED. Unset: no such port; 0: a free one. Only with
    /// <see cref="Enabled"/> (without TLS the gRPC port itself answers probes).
    /// </summary>
    [Range(0, 65535)]
    public int? ProbePort { get; set; }
}
