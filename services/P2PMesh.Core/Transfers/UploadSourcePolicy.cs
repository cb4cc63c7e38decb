using System.Net;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace P2PMesh.Core.Transfers;

/// <summary>
/// Who may call <c>Upload</c> (docs/security.md, Uploads): callers whose remote address lies in
/// <see cref="TransferOptions.UploadSources"/> — by default loopback, i.e. this pod's own PClient-API. Closes the
/// anonymous <c>Upload</c> that stored <c>install-me.sh</c> in a peer's share from anywhere on the pod network.
/// </summary>
public sealed class UploadSourcePolicy
{
    private readonly IPNetwork[] _networks;

    /// <summary>Parses <see cref="TransferOptions.UploadSources"/>.</summary>
    /// <exception cref="OptionsValidationException">A network is not valid CIDR.</exception>
    public UploadSourcePolicy(IOptions<TransferOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var networks = new List<IPNetwork>();
        foreach (var text in options.Value.UploadSources.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!IPNetwork.TryParse(text, out var network))
            {
                throw new OptionsValidationException(TransferOptions.SectionName, typeof(TransferOptions),
                    [$"Transfers:UploadSources: '{text}' is not a CIDR network (e.g. 127.0.0.0/8)."]);
            }
            networks.Add(network);
        }
        _networks = [.. networks];
    }

    /// <summary>Whether an upload from <paramref name="remote"/> is accepted (IPv4-mapped IPv6 addresses count as IPv4).</summary>
    public bool Allows(IPAddress? remote)
    {
        if (remote is null)
        {
            return false;
        }
        var address = remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote;
        return _networks.Any(n => n.Contains(address));
    }

    /// <summary>Throws PERMISSION_DENIED unless <see cref="Allows"/>.</summary>
    /// <exception cref="RpcException">PERMISSION_DENIED, naming the caller's address and the setting.</exception>
    public void Demand(IPAddress? remote)
    {
        if (!Allows(remote))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied,
                $"uploads are accepted only from this peer's own PClient-API (Transfers:UploadSources), not from {remote?.ToString() ?? "an unknown address"}"));
        }
    }
}
