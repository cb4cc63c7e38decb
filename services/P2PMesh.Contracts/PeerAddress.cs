using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace P2PMesh.Contracts;

/// <summary>
/// A peer's gRPC address, <c>host:port</c>: a DNS name, an IPv4 address, or an IPv6 address in
/// brackets (<c>[::1]:7000</c>), and a port 1..65535. What <c>PeerInfo.address</c> carries
/// (protos/p2pmesh/v1/common.proto).
/// </summary>
public readonly record struct PeerAddress(string Host, int Port)
{
    /// <summary>The longest accepted host, in characters (a DNS name's limit).</summary>
    public const int MaxHostLength = 253;

    /// <summary>Parses <c>host:port</c>; false (with a reason) when it is not one.</summary>
    public static bool TryParse(string? value, out PeerAddress address, out string error)
    {
        address = default;
        if (string.IsNullOrWhiteSpace(value))
        {
            error = "address is empty; expected host:port";
            return false;
        }
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || colon == value.Length - 1)
        {
            error = $"address '{value}' is not host:port";
            return false;
        }
        var host = value[..colon];
        if (host.StartsWith('['))
        {
            if (!host.EndsWith(']') || !IPAddress.TryParse(host[1..^1], out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                error = $"address '{value}' has an invalid bracketed IPv6 host";
                return false;
            }
        }
        else if (host.Contains(':', StringComparison.Ordinal) || host.Length > MaxHostLength
            || Uri.CheckHostName(host) is UriHostNameType.Unknown or UriHostNameType.IPv6)
        {
            error = $"address '{value}' has an invalid host (IPv6 needs brackets: [::1]:7000)";
            return false;
        }
        if (!int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            error = $"address '{value}' has an invalid port (1-65535)";
            return false;
        }
        address = new PeerAddress(host, port);
        error = string.Empty;
        return true;
    }

    /// <summary>The plaintext gRPC endpoint, <c>http://host:port</c>.</summary>
    public Uri ToUri() => ToUri(Uri.UriSchemeHttp);

    /// <summary>The gRPC endpoint with <paramref name="scheme"/> (<c>http</c> or <c>https</c>, see <c>MeshTls.Scheme</c>).</summary>
    public Uri ToUri(string scheme) => new($"{scheme}://{Host}:{Port.ToString(CultureInfo.InvariantCulture)}");

    /// <inheritdoc />
    public override string ToString() => $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";
}
