using System.Net.Http.Headers;

namespace P2PMesh.Core.Peers;

/// <summary>
/// Adds <c>authorization: Bearer &lt;peer token&gt;</c> (the <see cref="PeerTokenHolder"/>'s current token) to every gRPC
/// call through it, so other peers and the Bootstrap admit this process (docs/security.md, Admission). A request that
/// already carries an authorization header keeps it; without a token the request goes as it is.
/// </summary>
public sealed class BearerTokenHandler(PeerTokenHolder tokens) : DelegatingHandler
{
    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Headers.Authorization is null && tokens.Token is { } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return base.SendAsync(request, cancellationToken);
    }
}
