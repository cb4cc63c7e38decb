using P2PMesh.V1;

namespace P2PMesh.Core.Content;

/// <summary>
/// What changed in a share between two snapshots keyed by file name (docs/architecture.md, Directory and Message bus):
/// files added or changed (size, SHA-256 or chunk size differs) and files gone. The one comparison behind the two
/// that tell others about <see cref="ContentIndex.Changed"/>: <see cref="Peers.DirectoryAgent"/> (its DELTA updates)
/// and <see cref="Bus.IndexEventPublisher"/> (its ADDED / REMOVED events).
/// </summary>
/// <param name="Upserted">Files in the newer snapshot that the older one lacks or holds otherwise, in the newer one's order.</param>
/// <param name="Removed">Files of the older snapshot whose name the newer one lacks, as the older one held them.</param>
public sealed record ShareDiff(IReadOnlyList<SharedFile> Upserted, IReadOnlyList<SharedFile> Removed)
{
    /// <summary>Whether nothing changed.</summary>
    public bool IsEmpty => Upserted.Count == 0 && Removed.Count == 0;

    /// <summary>The index's files as the wire lists them (<see cref="ContentFile.ToSharedFile"/>), keyed by name (ordinal).</summary>
    public static Dictionary<string, SharedFile> Snapshot(ContentIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        return index.Files.ToDictionary(f => f.Name, f => f.ToSharedFile(), StringComparer.Ordinal);
    }

    /// <summary>What changed from <paramref name="before"/> to <paramref name="current"/> (both keyed by name).</summary>
    public static ShareDiff Between(IReadOnlyDictionary<string, SharedFile> before, IReadOnlyDictionary<string, SharedFile> current)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(current);
        return new(
            [.. current.Values.Where(f => !before.TryGetValue(f.Name, out var held) || !held.Equals(f))],
            [.. before.Values.Where(f => !current.ContainsKey(f.Name))]);
    }
}
