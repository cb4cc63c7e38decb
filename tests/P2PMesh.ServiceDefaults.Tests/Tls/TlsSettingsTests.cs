using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using P2PMesh.Contracts.Tls;
using P2PMesh.ServiceDefaults.Tls;

namespace P2PMesh.ServiceDefaults.Tests.Tls;

/// <summary>
/// <c>Tls:*</c> (docs/security.md, Transport) stops a service at start with a message naming what is wrong: a missing
/// file, a probe port without TLS, a key that is not the certificate's.
/// </summary>
public sealed class TlsSettingsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("p2pmesh-tls-settings-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Enabled_WithoutItsFiles_RefusedNamingEach()
    {
        var missing = Path.Join(_folder, "nope.crt");
        var result = new TlsOptionsValidator().Validate(null, new TlsOptions { Enabled = true, CertificateFile = missing });

        Assert.True(result.Failed);
        Assert.Contains($"Tls:CertificateFile '{missing}' does not exist", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Tls:KeyFile is required", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Tls:CaFile is required", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void ProbePort_WithoutTls_Refused_AndOutOfRange_Refused()
    {
        var files = LocalCertificateAuthority.Create(_folder, TimeSpan.FromHours(1));
        var plaintext = new TlsOptionsValidator().Validate(null, new TlsOptions { ProbePort = 7001 });
        var outOfRange = new TlsOptionsValidator().Validate(null, new TlsOptions
        {
            Enabled = true, CertificateFile = files.CertificateFile, KeyFile = files.KeyFile, CaFile = files.CaFile, ProbePort = 70000,
        });
        var valid = new TlsOptionsValidator().Validate(null, new TlsOptions
        {
            Enabled = true, CertificateFile = files.CertificateFile, KeyFile = files.KeyFile, CaFile = files.CaFile, ProbePort = 0,
        });

        Assert.Contains("Tls:ProbePort is only for Tls:Enabled=true", plaintext.FailureMessage, StringComparison.Ordinal);
        Assert.True(outOfRange.Failed);
        Assert.Contains("ProbePort", outOfRange.FailureMessage, StringComparison.Ordinal);
        Assert.True(valid.Succeeded);
    }

    [Fact]
    public void AddMeshTls_AKeyOfAnotherCertificate_StopsTheHostNamingTheFiles()
    {
        var mine = LocalCertificateAuthority.Create(Path.Join(_folder, "a"), TimeSpan.FromHours(1));
        var other = LocalCertificateAuthority.Create(Path.Join(_folder, "b"), TimeSpan.FromHours(1));
        var builder = WebApplication.CreateBuilder([
            "--Tls:Enabled=true", $"--Tls:CertificateFile={mine.CertificateFile}", $"--Tls:KeyFile={other.KeyFile}", $"--Tls:CaFile={mine.CaFile}"]);

        var refused = Assert.Throws<InvalidOperationException>(() => builder.AddMeshTls());

        Assert.Contains(mine.CertificateFile, refused.Message, StringComparison.Ordinal);
        Assert.Contains(other.KeyFile, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddMeshTls_Off_Plaintext()
    {
        var builder = WebApplication.CreateBuilder([]);

        var settings = builder.AddMeshTls();
        using var provider = builder.Services.BuildServiceProvider();

        Assert.False(settings.Enabled);
        Assert.Same(MeshTls.Plaintext, provider.GetService(typeof(MeshTls)));
        Assert.Equal("http", MeshTls.Plaintext.Scheme);
    }
}
