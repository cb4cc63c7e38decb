using P2PMesh.Contracts;
using Grpc.Core;
using P2PMesh.V1;

namespace P2PMesh.Core.Search;

/// <summary>
/// Checks a <see cref="SearchRequest"/> (protos/p2pmesh/v1/peer.proto) before any work is done, and
/// works out the TTL this peer honours.
/// </summary>
public static class SearchRequestValidator
{
    /// <summary>The length of a query id, in bytes.</summary>
    public const int QueryIdLength = 16;

    /// <summary>The parsed pattern and the TTL in force at this peer.</summary>
    public readonly record struct ValidSearch(SearchPattern Pattern, uint Ttl);

    /// <summary>
    /// Validates <paramref name="request"/>. A client's request (hops 0) needs 1 ≤ ttl ≤ <paramref name="maxTtl"/>
    /// (whatever its <c>via</c>) and a known <c>via</c>; a forwarded one needs a sender, ttl ≤ <paramref name="maxTtl"/>
    /// and <c>via</c> unset or FLOOD (forwards are floods: docs/architecture.md, Search modes), and is cut so that
    /// hops + ttl ≤ <paramref name="maxTtl"/>.
    /// </summary>
    /// <exception cref="RpcException"><see cref="StatusCode.InvalidArgument"/>, naming the field at fault.</exception>
    public static ValidSearch Validate(SearchRequest request, int maxTtl)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.QueryId.Length != QueryIdLength)
        {
            throw Invalid($"query_id must be {QueryIdLength} bytes, got {request.QueryId.Length}");
        }
        SearchPattern pattern;
        try
        {
            pattern = SearchPattern.Parse(request.Pattern);
        }
        catch (FormatException ex)
        {
            throw Invalid($"pattern: {ex.Message}");
        }
        if (request.Hops == 0)
        {
            if (!Enum.IsDefined(request.Via))
            {
                throw Invalid($"via must be FLOOD, DIRECTORY, AUTO or MOM, got {(int)request.Via}");
            }
            if (request.Ttl < 1 || request.Ttl > maxTtl)
            {
                throw Invalid($"ttl must be between 1 and {maxTtl}, got {request.Ttl}");
            }
            return new ValidSearch(pattern, request.Ttl);
        }

        if (request.Hops > maxTtl || request.Ttl > maxTtl)
        {
            throw Invalid($"hops ({request.Hops}) and ttl ({request.Ttl}) must not exceed {maxTtl}");
        }
        if (request.Via is not (SearchRequest.Types.Via.Unspecified or SearchRequest.Types.Via.Flood))
        {
            throw Invalid($"via {request.Via} is only for a client's request (hops 0): forwards between peers are floods");
        }
        PeerInfoValidation.Validate(request.Sender, "sender");
        if (request.Path.Count != request.Hops)
        {
            throw Invalid($"path must list the {request.Hops} peers the query passed, got {request.Path.Count}");
        }
        return new ValidSearch(pattern, Math.Min(request.Ttl, (uint)maxTtl - request.Hops));
    }

    private static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));
}
