namespace P2PMesh.Cli.LocalMesh;

/// <summary>What <c>p2pmesh up</c> was asked for (see UpCommandDefinition for each option).</summary>
internal sealed record MeshLaunchSettings(
    int Peers,
    int Degree,
    string? ShareFrom,
    string Directory,
    string StateFile,
    int PreferredApiPort,
    TimeSpan StartTimeout,
    IReadOnlyList<string> PServerSettings,
    IReadOnlyList<string> ApiSettings)
{
    /// <summary>How long a child gets between SIGTERM and SIGKILL.</summary>
    public TimeSpan StopGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// <c>--otlp</c>: where every child exports traces and metrics, with its <c>OTEL_SERVICE_NAME</c>; <c>null</c>
    /// leaves the children the <c>OTEL_*</c> variables of <c>up</c>'s own environment, untouched.
    /// </summary>
    public OtlpSettings? Otlp { get; init; }

    /// <summary>
    /// <c>--mom</c>: the message broker's AMQP URI every child gets as <c>--Mom:Uri</c> (the local broker's when
    /// <c>--mom local</c>); <c>null</c> runs the mesh without the bus.
    /// </summary>
    public Uri? MomUri { get; init; }

    /// <summary>The setting that points a child at the broker: <c>--Mom:Uri=…</c>, or none.</summary>
    public string[] MomArguments => MomUri is null ? [] : [$"--Mom:Uri={MomUri}"];

    public string PeerId(int index) => $"peer-{index + 1}";

    public string ShareOf(int index) => Path.Combine(Directory, "peers", PeerId(index), "share");

    public string LogDirectory => Path.Combine(Directory, "logs");
}
