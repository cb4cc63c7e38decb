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

    /// <summary>
    /// How long an upload may go without a part arriving before the PServer ends it with DEADLINE_EXCEEDED and removes
    /// its temporary file, so a stalled client cannot hold a stream, a file handle and a space reservation forever.
    /// Default 30 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan UploadIdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The networks an <c>Upload</c> may come from, comma-separated CIDR (e.g. <c>127.0.0.0/8,::1/128</c>); anyone else gets PERMISSION_DENIED
    /// before a byte is read. Default: loopback only (<c>127.0.0.0/8</c>, <c>::1/128</c>), i.e. this pod's own PClient-API
    /// (it shares the pod's network namespace) or, for a local mesh, this machine. Add networks to accept remote
    /// uploads (e.g. <c>127.0.0.0/8,::1/128,10.0.0.0/8</c>); an empty value accepts none. See <see cref="UploadSourcePolicy"/>.
    /// </summary>
    [RegularExpression(@"^\s*$|^[0-9A-Fa-f:./]+(\s*,\s*[0-9A-Fa-f:./]+)*\s*$", ErrorMessage = "UploadSources must be comma-separated CIDR networks, e.g. 127.0.0.0/8,::1/128.")]
    public string UploadSources { get; set; } = "127.0.0.0/8,::1/128";

    /// <summary>The most chunk indices plus byte ranges one ReadChunks request may ask for. Defaults to 65,536.</summary>
    [Range(1, 10_000_000)]
    public int MaxPartsPerRead { get; set; } = 65_536;

    /// <summary>
    /// The most bytes per second this peer serves to downloaders, over all its <c>ReadChunks</c> calls together (a
    /// token bucket refilled every 100 ms, up to one second's worth: <see cref="ServeRateLimiter"/>), so sharing cannot
    /// take the whole link of a node; 0 (the default) for no cap.
    /// </summary>
    [Range(0, long.MaxValue)]
    public long MaxServeBytesPerSecond { get; set; }
}
