using System.Collections.Concurrent;
using P2PMesh.Bootstrap.Directory;
using P2PMesh.V1;

namespace P2PMesh.Bus.Tests.Infrastructure;

/// <summary>
/// A stand-in for the directory's index (the real one implements <see cref="IIndexEventSink"/> elsewhere): records every
/// event applied, and throws <see cref="ArgumentException"/>, as the contract says for an invalid event, for a file
/// whose name starts with <see cref="InvalidPrefix"/>.
/// </summary>
public sealed class RecordingIndexEventSink : IIndexEventSink
{
    public const string InvalidPrefix = "invalid-";

    private readonly ConcurrentQueue<IndexEvent> _applied = new();

    public IReadOnlyCollection<IndexEvent> Applied => _applied;

    public ValueTask<bool> ApplyAsync(IndexEvent indexEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(indexEvent);
        if (indexEvent.File.Name.StartsWith(InvalidPrefix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"invalid file name {indexEvent.File.Name}", nameof(indexEvent));
        }
        _applied.Enqueue(indexEvent);
        return ValueTask.FromResult(true);
    }

    public bool Has(string peerId, IndexEvent.Types.Change change, string name) =>
        _applied.Any(e => e.Peer.Id == peerId && e.Change == change && e.File.Name == name);
}
