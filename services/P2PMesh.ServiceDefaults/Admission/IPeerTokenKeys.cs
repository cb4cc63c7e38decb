using Microsoft.IdentityModel.Tokens;

namespace P2PMesh.ServiceDefaults.Admission;

/// <summary>
/// The public keys that verify peer tokens (<see cref="PeerTokenFormat"/>): the directory's own signing key in the
/// Bootstrap, a cache of the directory's <c>GetTokenKeys</c> elsewhere.
/// </summary>
public interface IPeerTokenKeys
{
    /// <summary>
    /// The keys that may have signed a token with key id <paramref name="kid"/> (all known keys when it is <c>null</c>);
    /// empty when none is known (the token is then refused). Must not block: called while validating a request.
    /// </summary>
    IEnumerable<SecurityKey> Resolve(string? kid);
}
