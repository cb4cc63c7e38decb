using System.Security.Claims;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace P2PMesh.ServiceDefaults.Admission;

/// <summary>
/// Checks that a request speaks for its caller (docs/security.md, Authorization): with <see cref="AdmissionOptions.Required"/>,
/// the peer a request names as its sender (<c>Link</c>, <c>Unlink</c>, a flood forward, <c>Join</c>, <c>Heartbeat</c>,
/// <c>Leave</c>) must be the one its peer token names, id and address. Without admission it admits everything.
/// </summary>
public sealed class CallerAdmission(IOptions<AdmissionOptions> options)
{
    /// <summary>Whether admission is on (<see cref="AdmissionOptions.Required"/>).</summary>
    public bool Required => options.Value.Required;

    /// <summary>
    /// Throws PERMISSION_DENIED unless the caller's token names peer <paramref name="peerId"/> at
    /// <paramref name="address"/> (a token without an address, a PClient-API's, never speaks for a peer).
    /// </summary>
    /// <param name="context">The call; its user is the token's holder (set by the JwtBearer handler).</param>
    /// <param name="peerId">The peer id the request claims.</param>
    /// <param name="address">The <c>host:port</c> the request claims, canonical.</param>
    /// <exception cref="RpcException">PERMISSION_DENIED, saying what differs; UNAUTHENTICATED without a token.</exception>
    public void DemandPeer(ServerCallContext context, string peerId, string address)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!Required)
        {
            return;
        }
        var user = context.GetHttpContext().User;
        if (user.Identity?.IsAuthenticated != true)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "a peer token is required (Admission:Required)"));
        }
        var tokenId = user.FindFirstValue(PeerTokenFormat.PeerIdClaim);
        var tokenAddress = user.FindFirstValue(PeerTokenFormat.AddressClaim);
        if (!string.Equals(tokenId, peerId, StringComparison.Ordinal))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"the request speaks for peer '{peerId}' but the caller's token names '{tokenId}'"));
        }
        if (!string.Equals(tokenAddress, address, StringComparison.OrdinalIgnoreCase))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, tokenAddress is null
                ? $"the caller's token admits no peer address, so it cannot speak for peer '{peerId}'"
                : $"peer '{peerId}' claims the address {address} but its token names {tokenAddress}"));
        }
    }

    /// <summary>The caller's peer id from its token, or <c>null</c> without one.</summary>
    public static string? PeerIdOf(ClaimsPrincipal user) =>
        user?.Identity?.IsAuthenticated == true ? user.FindFirstValue(PeerTokenFormat.PeerIdClaim) : null;
}
