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
    /// <c>--mom</c>: the message broker's AMQP URI every child gets as the environment variable <c>Mom__Uri</c> (the local
    /// broker's when <c>--mom local</c>); <c>null</c> runs the mesh without the bus.
    /// </summary>
    /// <remarks>
    /// In the environment, not on the command line, so its password never shows in <c>ps</c> or <c>/proc/&lt;pid&gt;/cmdline</c>
    /// (only the same user and root can read <c>/proc/&lt;pid&gt;/environ</c>).
    /// </remarks>
    public Uri? MomUri { get; init; }

    /// <summary>
    /// <c>--mom local</c>: the running broker's processes, epmd and directory, which <c>up</c>'s watchdog stops after the
    /// children if <c>up</c> is killed; <c>null</c> otherwise.
    /// </summary>
    public LocalBrokerProcesses? LocalBroker { get; init; }

    /// <summary>
    /// Whether every child requires peer tokens (<c>Admission:Required</c>, docs/security.md): on unless
    /// <c>--no-admission</c>. The PServers and PClient-APIs get them from the Bootstrap's directory with the per-peer secrets.
    /// </summary>
    public bool Admission { get; init; } = true;

    /// <summary>
    /// Whether every gRPC connection runs over mutual TLS (<c>Tls:Enabled</c>, docs/security.md, Transport): off unless
    /// <c>--tls</c>, which makes a local CA and one certificate for <c>localhost</c> and <c>127.0.0.1</c> in
    /// <c>&lt;dir&gt;/run/tls</c>, fresh on every run.
    /// </summary>
    public bool Tls { get; init; }

    /// <summary>The environment variable that points a child at the broker (<c>Mom__Uri</c>, i.e. <c>Mom:Uri</c>).</summary>
    public const string MomUriVariable = "Mom__Uri";

    public string PeerId(int index) => $"peer-{index + 1}";

    public string ShareOf(int index) => Path.Combine(Directory, "peers", PeerId(index), "share");

    public string LogDirectory => Path.Combine(Directory, "logs");
}
