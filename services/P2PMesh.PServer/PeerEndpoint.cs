using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace P2PMesh.PServer;

/// <summary>
/// The <c>host:port</c> other peers reach this PServer at: <see cref="PeerNodeOptions.AdvertisedAddress"/>
/// when set, otherwise the host name with the port Kestrel actually bound (known once the server started).
/// </summary>
public sealed class PeerEndpoint(IOptions<PeerNodeOptions> options, IServer server)
{
    /// <summary>The advertised address, e.g. <c>peer-0.peer.default.svc:7000</c>.</summary>
    public string Address
    {
        get
        {
            if (!string.IsNullOrEmpty(options.Value.AdvertisedAddress))
            {
                return options.Value.AdvertisedAddress;
            }
            var bound = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
            var port = bound is null ? options.Value.GrpcPort : new Uri(bound).Port;
            return $"{Environment.MachineName}:{port}";
        }
    }
}
