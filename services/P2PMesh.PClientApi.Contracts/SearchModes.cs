namespace P2PMesh.PClientApi.Contracts;

/// <summary>
/// The search modes: the values of <c>GET /api/search?via=</c> and <c>p2pmesh search --via</c>, of
/// <see cref="SearchResponse.Via"/>, and (all but <see cref="Auto"/>) of <see cref="FloodStatsDto.AnsweredBy"/>.
/// </summary>
/// <remarks>docs/architecture.md, Search modes; protos/p2pmesh/v1/peer.proto, <c>SearchRequest.Via</c>.</remarks>
public static class SearchModes
{
    /// <summary>A flood over the neighbours (TTL, hops, duplicate suppression).</summary>
    public const string Flood = "flood";

    /// <summary>One query to the directory.</summary>
    public const string Directory = "directory";

    /// <summary>The directory, then a flood when it is not configured, unreachable or has no hits. The default.</summary>
    public const string Auto = "auto";

    /// <summary>One request on the message bus, answers collected until the deadline.</summary>
    public const string Mom = "mom";

    /// <summary>The mode used when none is given: <see cref="Auto"/>.</summary>
    public const string Default = Auto;

    /// <summary>Every mode, in the order help texts list them.</summary>
    public static IReadOnlyList<string> All { get; } = [Flood, Directory, Auto, Mom];

    /// <summary>Whether <paramref name="mode"/> is one of <see cref="All"/> (exactly: lowercase).</summary>
    public static bool IsValid(string? mode) => mode is Flood or Directory or Auto or Mom;
}
