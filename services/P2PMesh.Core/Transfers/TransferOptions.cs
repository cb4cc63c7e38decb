using System.ComponentModel.DataAnnotations;

namespace P2PMesh.Core.Transfers;

/// <summary>
/// Limits of the serving side of transfers (docs/architecture.md, Transfers). Bound from the
/// <c>Transfers</c> configuration section (environment: <c>Transfers__MaxUploadBytes</c> and so on).
/// </summary>
public sealed class TransferOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Transfers";

    /// <summary>The most data bytes one Chunk message carries: 512 KiB, so every message stays well under 1 MiB.</summary>
    public const int MaxChunkMessageBytes = 512 * 1024;

    /// <summary>The largest file one Upload may store, in bytes. Defaults to 64 GiB.</summary>
    [Range(0, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 64L * 1024 * 1024 * 1024;

    /// <summary>
    /// Free space an upload must leave on the share's volume, in bytes; an upload that would eat into
    /// it is refused with RESOURCE_EXHAUSTED before any data is written. Defaults to 256 MiB.
    /// </summary>
    [Range(0, long.MaxValue)]
    public long MinFreeBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>The most chunk indices plus byte ranges one ReadChunks request may ask for. Defaults to 65,536.</summary>
    [Range(1, 10_000_000)]
    public int MaxPartsPerRead { get; set; } = 65_536;
}
