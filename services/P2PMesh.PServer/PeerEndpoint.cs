using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using P2PMesh.Contracts;
using P2PMesh.Core.Peers;

namespace P2PMesh.PServer;

/// <summary>
/// This peer as others reach it: <see cref="PeerNodeOptions.Id"/> and the <c>host:port</c> to dial —
/// <see cref="PeerNodeOptions.AdvertisedAddress"/> when set; otherwise the listen address when it is a
/// specific IP (e.g. 127.0.0.1 for a local mesh), or the host name when listening on all interfaces;
/// with the port Kestrel actually bound (known once the server has started).
/// </summary>
public sealed class PeerEndpoint(IOptions<PeerNodeOptions> options, IServer server) : ILocalPeer
{
    /// <inheritdoc />
    public string Id => options.Value.Id;

    /// <inheritdoc />
    public string Address
    {
        get
        {
            var settings = options.Value;
            if (!string.IsNullOrEmpty(settings.AdvertisedAddress))
            {
                return settings.AdvertisedAddress;
            }
            var bound = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
            var port = bound is null ? settings.GrpcPort : new Uri(bound).Port;
            var host = IPAddress.TryParse(settings.ListenAddress, out var ip) && !ip.Equals(IPAddress.Any) && !ip.Equals(IPAddress.IPv6Any)
                ? (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{ip}]" : ip.ToString())
                : Environment.MachineName;
            return new PeerAddress(host, port).ToString();
        }
    }
}
