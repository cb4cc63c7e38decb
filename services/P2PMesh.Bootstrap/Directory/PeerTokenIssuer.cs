using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using P2PMesh.ServiceDefaults.Admission;

namespace P2PMesh.Bootstrap.Directory;

/// <summary>
/// Signs peer tokens (protos/p2pmesh/v1/directory.proto, <c>IssueToken</c>; <see cref="PeerTokenFormat"/>) with the
/// directory's ECDSA P-256 key and publishes its public half (<c>GetTokenKeys</c>). The key is generated at the first
/// start and, with <see cref="DirectoryOptions.DatabasePath"/>, kept beside the database (<c>&lt;database&gt;.token-key.pem</c>,
/// mode 0600) so tokens stay valid across restarts; without it a restart makes a new key and peers fetch it and renew.
/// Also the Bootstrap's own <see cref="IPeerTokenKeys"/>. Thread-safe.
/// </summary>
public sealed class PeerTokenIssuer : IPeerTokenKeys, IDisposable
{
    private readonly ECDsa _key;
    private readonly ECDsaSecurityKey _signingKey;
    private readonly ECDsaSecurityKey _publicKey;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _lifetime;
    private readonly JsonWebTokenHandler _handler = new();

    /// <summary>Loads or creates the signing key.</summary>
    public PeerTokenIssuer(IOptions<DirectoryOptions> options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        _timeProvider = timeProvider;
        _lifetime = options.Value.TokenLifetime;
        _key = LoadOrCreate(options.Value.DatabasePath is { Length: > 0 } database ? database + ".token-key.pem" : null);
        var kid = Base64UrlEncoder.Encode(SHA256.HashData(_key.ExportSubjectPublicKeyInfo()));
        _signingKey = new ECDsaSecurityKey(_key) { KeyId = kid };
        _publicKey = new ECDsaSecurityKey(ECDsa.Create(_key.ExportParameters(includePrivateParameters: false))) { KeyId = kid };
        var jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(_publicKey);
        jwk.Use = "sig";
        jwk.Alg = PeerTokenFormat.Algorithm;
        KeySetJson = JsonSerializer.Serialize(new
        {
            keys = new[] { new { kty = jwk.Kty, crv = jwk.Crv, kid = jwk.Kid, x = jwk.X, y = jwk.Y, use = jwk.Use, alg = jwk.Alg } },
        });
    }

    /// <summary>The public key as a JSON Web Key Set (RFC 7517), what <c>GetTokenKeys</c> answers.</summary>
    public string KeySetJson { get; }

    /// <summary>
    /// A token for peer <paramref name="peerId"/>; with <paramref name="address"/> (the PServer's advertised
    /// <c>host:port</c>) it may speak for that peer, without (a PClient-API's) it may only read and search.
    /// </summary>
    /// <returns>The compact JWT and when it expires (now + <see cref="DirectoryOptions.TokenLifetime"/>).</returns>
    public (string Token, DateTimeOffset ExpiresAt) Issue(string peerId, string? address)
    {
        var now = _timeProvider.GetUtcNow();
        var expires = now + _lifetime;
        var claims = new Dictionary<string, object> { [PeerTokenFormat.PeerIdClaim] = peerId };
        if (!string.IsNullOrEmpty(address))
        {
            claims[PeerTokenFormat.AddressClaim] = address;
        }
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = PeerTokenFormat.Issuer,
            Audience = PeerTokenFormat.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Claims = claims,
            Subject = new ClaimsIdentity(),
            SigningCredentials = new SigningCredentials(_signingKey, PeerTokenFormat.Algorithm),
        });
        return (token, expires);
    }

    /// <inheritdoc />
    public IEnumerable<SecurityKey> Resolve(string? kid) =>
        kid is null || kid == _publicKey.KeyId ? [_publicKey] : [];

    /// <inheritdoc />
    public void Dispose()
    {
        _key.Dispose();
        _publicKey.ECDsa.Dispose();
    }

    private static ECDsa LoadOrCreate(string? path)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        if (path is null)
        {
            return key;
        }
        if (File.Exists(path))
        {
            key.ImportFromPem(File.ReadAllText(path));
            return key;
        }
        var pem = key.ExportPkcs8PrivateKeyPem();
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var writer = new StreamWriter(path, System.Text.Encoding.ASCII, options))
        {
            writer.Write(pem);
        }
        return key;
    }
}
