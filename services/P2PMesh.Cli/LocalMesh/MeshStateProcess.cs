namespace P2PMesh.Cli.LocalMesh;

/// <summary>A child process of <c>up</c>: <c>bootstrap</c>, <c>peer-N/pserver</c> or <c>peer-N/api</c>.</summary>
internal sealed record MeshStateProcess(string Name, int Pid, string Log)
{
    /// <summary>The Bootstrap's name.</summary>
    public const string BootstrapName = "bootstrap";

    private const string PServerSuffix = "/pserver";
    private const string ApiSuffix = "/api";

    /// <summary>Stop order: a name's group (<c>/api</c>, <c>/pserver</c>, <c>bootstrap</c>) ends it.</summary>
    public static IReadOnlyList<string> StopOrder { get; } = [ApiSuffix, PServerSuffix, BootstrapName];

    /// <summary>The name of a peer's PServer, <c>peer-N/pserver</c>.</summary>
    public static string PServerName(string peerId) => peerId + PServerSuffix;

    /// <summary>The name of a peer's PClient-API, <c>peer-N/api</c>.</summary>
    public static string ApiName(string peerId) => peerId + ApiSuffix;
}
