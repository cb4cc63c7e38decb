using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace P2PMesh.Contracts.Tls;

/// <summary>
/// The mesh's mutual TLS (docs/security.md, Transport): this process's certificate and private key and the mesh's
/// certificate authorities, all read from PEM files. Every gRPC connection between PServers, PClient-APIs and the
/// Bootstrap then runs over TLS 1.2 or 1.3, and both ends present a certificate the other validates against the mesh
/// CAs only (custom root trust, never the system store): the server also checks the client certificate allows
/// client authentication, the client that the server certificate allows server authentication and names the host it
/// dialled (a DNS or IP subject alternative name; a peer dialled by a bare IP address, such as a pod IP from
/// <c>Neighbours:DnsSeed</c>, needs only the chain). Which peer a caller is comes on top of this from its peer token
/// (docs/security.md, Admission): the certificate proves membership of the mesh, the token the peer id.
/// <see cref="Plaintext"/> is the disabled instance (local runs without <c>--tls</c>).
/// </summary>
public sealed class MeshTls
{
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    private MeshTls(X509Certificate2? certificate, X509Certificate2Collection authorities)
    {
        Certificate = certificate;
        Authorities = authorities;
    }

    /// <summary>No TLS: plaintext HTTP/2 (<c>http://</c>).</summary>
    public static MeshTls Plaintext { get; } = new(null, []);

    /// <summary>Whether connections use TLS.</summary>
    public bool Enabled => Certificate is not null;

    /// <summary>This process's certificate with its private key (null when <see cref="Enabled"/> is false).</summary>
    public X509Certificate2? Certificate { get; }

    /// <summary>The certificate authorities a peer's certificate must chain to.</summary>
    public X509Certificate2Collection Authorities { get; }

    /// <summary>The URI scheme of the mesh's gRPC endpoints: <c>https</c> with TLS, else <c>http</c>.</summary>
    public string Scheme => Enabled ? Uri.UriSchemeHttps : Uri.UriSchemeHttp;

    /// <summary>
    /// Reads a PEM certificate (leaf first; intermediates may follow), its PEM private key (PKCS#8, PKCS#1 or SEC1) and
    /// a PEM bundle of CA certificates.
    /// </summary>
    /// <exception cref="System.Security.Cryptography.CryptographicException">A file is not a PEM certificate or key, or the key is not the certificate's.</exception>
    /// <exception cref="IOException">A file cannot be read.</exception>
    /// <exception cref="ArgumentException">The CA file holds no certificate.</exception>
    public static MeshTls Load(string certificateFile, string keyFile, string caFile)
    {
        using var pem = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
        // Linux keeps PEM keys ephemeral, which SslStream accepts; a PKCS#12 round trip makes it usable everywhere.
        var certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), password: null);
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(caFile);
        if (authorities.Count == 0)
        {
            throw new ArgumentException($"'{caFile}' holds no PEM certificate", nameof(caFile));
        }
        return new MeshTls(certificate, authorities);
    }

    /// <summary>The plaintext or TLS URI of a gRPC endpoint, <c>http(s)://host:port</c>.</summary>
    public Uri UriOf(PeerAddress address)
    {
        return address.ToUri(Scheme);
    }

    /// <summary>
    /// Makes <paramref name="handler"/> present <see cref="Certificate"/> and accept only servers whose certificate
    /// chains to <see cref="Authorities"/>, allows server authentication and names the dialled host. Nothing without TLS.
    /// </summary>
    public void ConfigureClient(SocketsHttpHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (Certificate is null)
        {
            return;
        }
        handler.SslOptions = new SslClientAuthenticationOptions
        {
            ClientCertificates = [Certificate],
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            RemoteCertificateValidationCallback = (sender, certificate, presented, errors) =>
                (errors & SslPolicyErrors.RemoteCertificateNotAvailable) == 0
                && ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0 || DialledAnAddress(sender))
                && certificate is X509Certificate2 server && IsTrusted(server, presented, ServerAuthOid),
        };
    }

    /// <summary>
    /// Whether a client certificate (TLS client authentication, Kestrel's <c>ClientCertificateValidation</c>) chains to
    /// <see cref="Authorities"/> (through the intermediates the client <paramref name="presented"/>) and allows client
    /// authentication; the SSL policy errors of the system store are ignored.
    /// </summary>
    public bool IsTrustedClient(X509Certificate2? certificate, X509Chain? presented) =>
        certificate is not null && IsTrusted(certificate, presented, ClientAuthOid);

    // A peer dialled by IP address (Neighbours:DnsSeed resolves the headless Service to pod IPs, which no certificate
    // names): the chain to the mesh CA proves membership, and which peer it is comes from its peer token.
    private static bool DialledAnAddress(object? sender) =>
        sender is SslStream { TargetHostName: { } host } && IPAddress.TryParse(host.Trim('[', ']'), out _);

    private bool IsTrusted(X509Certificate2 certificate, X509Chain? presented, string usage)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(Authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new(usage));
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }
        return chain.Build(certificate);
    }
}
