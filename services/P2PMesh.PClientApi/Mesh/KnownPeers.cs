using System.Collections.Concurrent;
using P2PMesh.Contracts;

namespace P2PMesh.PClientApi.Mesh;

/// <summary>
/// The PServers this API may dial on a caller's word (docs/security.md, The API dials only the mesh): its own PServer,
/// its PServer's neighbours, and holders that its searches found during the last <see cref="MemoryTime"/> (at most
/// <see cref="Capacity"/> addresses, the oldest forgotten first). An upload's <c>to=</c> and a download's
/// <c>sources</c> outside this set are refused without a connection attempt: the API is no port scanner. Thread-safe.
/// </summary>
public sealed class KnownPeers(TimeProvider timeProvider)
{
    /// <summary>How long a search's holders stay known: 10 minutes.</summary>
    public static readonly TimeSpan MemoryTime = TimeSpan.FromMinutes(10);

    /// <summary>The most remembered holders: 10,000.</summary>
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<PeerAddress, long> _holders = new();

    /// <summary>Remembers the holders a search found (addresses that do not parse are ignored).</summary>
    public void Remember(IEnumerable<string> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var now = timeProvider.GetTimestamp();
        foreach (var text in addresses)
        {
            if (PeerAddress.TryParse(text, out var address, out _))
            {
                _holders[address] = now;
            }
        }
        if (_holders.Count > Capacity)
        {
            foreach (var (address, _) in _holders.OrderBy(h => h.Value).Take(_holders.Count - Capacity).ToList())
            {
                _holders.TryRemove(address, out _);
            }
        }
    }

    /// <summary>
    /// The addresses of <paramref name="addresses"/> that are none of: <paramref name="mesh"/>'s own PServer, one of its
    /// neighbours, a holder remembered within <see cref="MemoryTime"/>. Asks the PServer for its neighbours only when needed.
    /// </summary>
    public async Task<IReadOnlyList<PeerAddress>> UnknownAsync(IEnumerable<PeerAddress> addresses, PServerClient mesh, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        var now = timeProvider.GetTimestamp();
        var unknown = addresses.Where(a => a != mesh.LocalPServer
            && !(_holders.TryGetValue(a, out var seen) && timeProvider.GetElapsedTime(seen, now) <= MemoryTime)).Distinct().ToList();
        if (unknown.Count == 0)
        {
            return unknown;
        }
        var neighbours = await mesh.NeighbourAddressesAsync(cancellationToken).ConfigureAwait(false);
        return [.. unknown.Where(a => !neighbours.Contains(a))];
    }
}
