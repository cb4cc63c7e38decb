using P2PMesh.V1;

namespace P2PMesh.PServer.Tests.Transfers.Download;

/// <summary>What a <see cref="FakePeerService"/> answers: a manifest, the bytes it serves, and how it spoils them; and what it was asked.</summary>
public sealed class FakePeerBehavior(Manifest manifest, byte[] content)
{
    private int _readCalls;
    private int _searchCalls;

    public Manifest Manifest { get; } = manifest;

    /// <summary>The bytes ReadChunks serves (not necessarily what the manifest describes).</summary>
    public byte[] Content { get; } = content;

    public FakeCorruption Corruption { get; init; }

    /// <summary>Which ReadChunks calls (1-based) are spoiled; by default every second one, so some good chunks get through.</summary>
    public Func<int, bool> CorruptCall { get; init; } = call => call % 2 == 0;

    public int ReadCalls => Volatile.Read(ref _readCalls);

    /// <summary>How many Search calls arrived (each is left hanging).</summary>
    public int SearchCalls => Volatile.Read(ref _searchCalls);

    internal int NextCall() => Interlocked.Increment(ref _readCalls);

    internal void NextSearch() => Interlocked.Increment(ref _searchCalls);
}
