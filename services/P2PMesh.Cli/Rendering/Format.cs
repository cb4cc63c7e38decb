using System.Globalization;

namespace P2PMesh.Cli.Rendering;

/// <summary>Human formats for sizes, hashes and durations.</summary>
internal static class Format
{
    private static readonly string[] Units = ["B", "KiB", "MiB", "GiB", "TiB"];

    /// <summary>1536 → "1.5 KiB".</summary>
    public static string Bytes(double bytes)
    {
        var unit = 0;
        while (Math.Abs(bytes) >= 1024 && unit < Units.Length - 1)
        {
            bytes /= 1024;
            unit++;
        }
        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes:0} B")
            : string.Create(CultureInfo.InvariantCulture, $"{bytes:0.#} {Units[unit]}");
    }

    /// <summary>The first 12 hex digits, enough to tell files apart in a table.</summary>
    public static string ShortHash(string sha256) => sha256.Length > 12 ? sha256[..12] : sha256;

    /// <summary>(1, "hit") → "1 hit"; (2, "hit") → "2 hits".</summary>
    public static string Count(long count, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {noun}{(count == 1 ? "" : "s")}");

    /// <summary>
    /// A flood's depth, as the <c>search</c> summary and the <c>--explain</c> tree's header both say it: the largest hop
    /// count at which a peer processed the query (<c>FloodStats.max_hops</c>, protos/p2pmesh/v1/peer.proto), e.g.
    /// "deepest peer at hop 2". The tree may also draw a duplicate or failed forward one hop further: that message
    /// travelled further, but no peer processed it there.
    /// </summary>
    public static string DeepestHop(int maxHops) => string.Create(CultureInfo.InvariantCulture, $"deepest peer at hop {maxHops}");

    /// <summary>Milliseconds → "850 ms" or "2.4 s".</summary>
    public static string Milliseconds(double ms) => ms < 1000
        ? string.Create(CultureInfo.InvariantCulture, $"{ms:0} ms")
        : string.Create(CultureInfo.InvariantCulture, $"{ms / 1000:0.0} s");
}
