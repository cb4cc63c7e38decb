namespace P2PMesh.Core.Peers;

/// <summary>What <see cref="NeighbourTable.TryAdd"/> did.</summary>
public enum NeighbourAddResult
{
    /// <summary>The peer is now a neighbour.</summary>
    Added,
    /// <summary>The peer already was a neighbour (its address was refreshed).</summary>
    AlreadyLinked,
    /// <summary>The table is at its maximum degree; nothing changed.</summary>
    Full,
}
