using System.ComponentModel.DataAnnotations;

namespace P2PMesh.PServer.Limits;

/// <summary>
/// Per-caller rate limits on the PServer's costly RPCs (docs/security.md, Limits): a token bucket per caller — its
/// peer id when it presents a peer token, else its IP address. Bound from <c>Limits</c>
/// (<c>Limits__SearchPerSecond</c> and so on). Generous by default: a mesh never meets them, a flooding caller does.
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Limits";

    /// <summary><c>Search</c> calls (client searches and flood forwards) a caller may start per second, sustained. Defaults to 200.</summary>
    [Range(1, 1_000_000)]
    public int SearchPerSecond { get; set; } = 200;

    /// <summary>How many <c>Search</c> calls a caller may start at once after a quiet spell. Defaults to 400.</summary>
    [Range(1, 1_000_000)]
    public int SearchBurst { get; set; } = 400;

    /// <summary><c>ReadChunks</c> calls a caller may start per second, sustained. Defaults to 200.</summary>
    [Range(1, 1_000_000)]
    public int ReadChunksPerSecond { get; set; } = 200;

    /// <summary>How many <c>ReadChunks</c> calls a caller may start at once after a quiet spell. Defaults to 400.</summary>
    [Range(1, 1_000_000)]
    public int ReadChunksBurst { get; set; } = 400;
}
