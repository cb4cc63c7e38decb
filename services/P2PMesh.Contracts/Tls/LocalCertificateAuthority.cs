using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace P2PMesh.Contracts.Tls;

/// <summary>
/// A throw-away certificate authority for a mesh on one machine (<c>p2pmesh up --tls</c>, tests; docs/security.md,
/// Transport): an ECDSA P-256 CA and one certificate it signs for every process of the mesh, valid for
/// <c>localhost</c>, <c>127.0.0.1</c> and <c>::1</c>, for both server and client authentication. Files are written the
/// way a Kubernetes TLS Secret names them (<see cref="CertificateFileName"/>, <see cref="KeyFileName"/>,
/// <see cref="CaFileName"/>), the key readable by its owner only.
/// </summary>
public static class LocalCertificateAuthority
{
    /// <summary>The certificate's PEM file: <c>tls.crt</c>.</summary>
    public const string CertificateFileName = "tls.crt";

    /// <summary>The private key's PEM file (PKCS#8): <c>tls.key</c>.</summary>
    public const string KeyFileName = "tls.key";

    /// <summary>The CA certificate's PEM file: <c>ca.crt</c>.</summary>
    public const string CaFileName = "ca.crt";

    /// <summary>
    /// Writes a new CA and a certificate it signs into <paramref name="directory"/> (created if missing), valid for
    /// <paramref name="lifetime"/> from now, with <paramref name="extraNames"/> as further DNS names; returns the paths.
    /// </summary>
    public static (string CertificateFile, string KeyFile, string CaFile) Create(string directory, TimeSpan lifetime, params string[] extraNames)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(extraNames);
        Directory.CreateDirectory(directory);
        var notBefore = DateTimeOffset.UtcNow.AddMinutes(-5);
        var notAfter = DateTimeOffset.UtcNow.Add(lifetime);

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=p2pmesh local CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(notBefore, notAfter);

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=p2pmesh", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new("1.3.6.1.5.5.7.3.1"), new("1.3.6.1.5.5.7.3.2")], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        foreach (var name in extraNames)
        {
            names.AddDnsName(name);
        }
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        using var certificate = request.Create(ca, notBefore, notAfter, RandomNumberGenerator.GetBytes(16));

        var paths = (Path.Combine(directory, CertificateFileName), Path.Combine(directory, KeyFileName), Path.Combine(directory, CaFileName));
        File.WriteAllText(paths.Item1, certificate.ExportCertificatePem() + "\n");
        WriteOwnerOnly(paths.Item2, key.ExportPkcs8PrivateKeyPem() + "\n");
        File.WriteAllText(paths.Item3, ca.ExportCertificatePem() + "\n");
        return paths;
    }

    private static void WriteOwnerOnly(string path, string text)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using var writer = new StreamWriter(path, System.Text.Encoding.ASCII, options);
        writer.Write(text);
    }
}
