using P2PMesh.V1;

namespace P2PMesh.Core.Search;

/// <summary>
/// Adds up one peer's part of a flood and its subtree's (children's <see cref="FloodStats"/>) while
/// the forwards run concurrently. Thread-safe.
/// </summary>
internal sealed class FloodStatsBuilder(uint hops)
{
    private readonly Lock _lock = new();
    private readonly FloodStats _stats = new() { PeersReached = 1, MaxHops = hops };

    public void MessageSent() => Update(s => s.Messages++);

    public void Hit() => Update(s => s.Hits++);

    public void Duplicate() => Update(s => s.Duplicates++);

    public void Error() => Update(s => s.Errors++);

    public void DeadlineExceeded() => Update(s => s.DeadlineExceeded++);

    /// <summary>Adds a child's subtree (its hits were counted one by one as they were relayed).</summary>
    public void AddSubtree(FloodStats child) => Update(s =>
    {
        s.PeersReached += child.PeersReached;
        s.Messages += child.Messages;
        s.Duplicates += child.Duplicates;
        s.Errors += child.Errors;
        s.DeadlineExceeded += child.DeadlineExceeded;
        s.MaxHops = Math.Max(s.MaxHops, child.MaxHops);
    });

    public FloodStats Build()
    {
        lock (_lock)
        {
            return _stats.Clone();
        }
    }

    private void Update(Action<FloodStats> change)
    {
        lock (_lock)
        {
            change(_stats);
        }
    }
}
