using Grpc.Core;
using P2PMesh.V1;

namespace P2PMesh.Contracts;

/// <summary>Checks a <see cref="PeerInfo"/> received over the wire.</summary>
public static class PeerInfoValidation
{
    /// <summary>The longest accepted peer id, in characters.</summary>
    public const int MaxIdLength = 253;

    /// <summary>Returns the parsed address, or throws INVALID_ARGUMENT naming <paramref name="field"/>.</summary>
    /// <exception cref="RpcException"><see cref="StatusCode.InvalidArgument"/>: missing, empty or too long id, or an address that is not host:port.</exception>
    public static PeerAddress Validate(PeerInfo? peer, string field)
    {
        if (peer is null)
        {
            throw Invalid($"{field} is required");
        }
        if (string.IsNullOrWhiteSpace(peer.Id) || peer.Id.Length > MaxIdLength)
        {
            throw Invalid($"{field}.id must be 1-{MaxIdLength} non-blank characters");
        }
        if (!PeerAddress.TryParse(peer.Address, out var address, out var error))
        {
            throw Invalid($"{field}.{error}");
        }
        return address;
    }

    private static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));
}
