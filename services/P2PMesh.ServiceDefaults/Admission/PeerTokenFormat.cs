using Microsoft.IdentityModel.Tokens;

namespace P2PMesh.ServiceDefaults.Admission;

/// <summary>
/// The peer token (protos/p2pmesh/v1/directory.proto, <c>IssueToken</c>; docs/security.md, Admission): a JWT
/// (RFC 7519) signed ES256 by the directory, <c>iss</c> <see cref="Issuer"/>, <c>aud</c> <see cref="Audience"/>,
/// <c>sub</c> the peer id, <see cref="AddressClaim"/> the PServer's advertised <c>host:port</c> (absent in a
/// PClient-API's token), <c>exp</c> its end.
/// </summary>
public static class PeerTokenFormat
{
    /// <summary>The <c>iss</c> of every peer token.</summary>
    public const string Issuer = "p2pmesh-directory";

    /// <summary>The <c>aud</c> of every peer token.</summary>
    public const string Audience = "p2pmesh";

    /// <summary>The claim naming the holder's advertised PServer address.</summary>
    public const string AddressClaim = "p2pmesh_addr";

    /// <summary>The claim naming the holder's peer id (JWT <c>sub</c>).</summary>
    public const string PeerIdClaim = "sub";

    /// <summary>The signing algorithm, ECDSA P-256 with SHA-256.</summary>
    public const string Algorithm = SecurityAlgorithms.EcdsaSha256;

    /// <summary>
    /// The validation every service applies: issuer, audience, lifetime (30 s clock skew), an ES256 signature by a key
    /// of <paramref name="keys"/>.
    /// </summary>
    public static TokenValidationParameters ValidationParameters(IPeerTokenKeys keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Audience,
            ValidAlgorithms = [Algorithm],
            ClockSkew = TimeSpan.FromSeconds(30),
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            NameClaimType = PeerIdClaim,
            IssuerSigningKeyResolver = (_, _, kid, _) => keys.Resolve(kid),
        };
    }
}
