namespace P2PMesh.Core.Transfers.Download;

/// <summary>What one source has done for a download so far (part of <see cref="DownloadProgress"/>).</summary>
public sealed record DownloadSourceProgress
{
    /// <summary>The source's gRPC address, <c>host:port</c>.</summary>
    public required string Address { get; init; }

    /// <summary>Verified chunks this source delivered in the current run.</summary>
    public int ChunksServed { get; init; }

    /// <summary>Bytes of the verified chunks this source delivered in the current run.</summary>
    public long BytesServed { get; init; }

    /// <summary>Whether the current manifest came from this source.</summary>
    public bool ManifestSource { get; init; }

    /// <summary>
    /// Why this source was dropped (a failed call with its gRPC status, a bad chunk, a bad or dishonest
    /// manifest); <c>null</c> while it is in use.
    /// </summary>
    public string? DroppedReason { get; init; }
}
