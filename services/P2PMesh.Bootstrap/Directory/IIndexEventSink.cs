using P2PMesh.V1;

namespace P2PMesh.Bootstrap.Directory;

/// <summary>
/// Where the directory's bus consumer applies index events (docs/architecture.md, Message bus): the directory's index.
/// </summary>
public interface IIndexEventSink
{
    /// <summary>
    /// Applies one event: ADDED upserts the file (by name) for the peer, REMOVED deletes it. An event for a peer that
    /// is not logged in is ignored (returns false). Throws <see cref="ArgumentException"/> for an invalid event (the
    /// consumer dead-letters it).
    /// </summary>
    ValueTask<bool> ApplyAsync(IndexEvent indexEvent, CancellationToken cancellationToken);
}
