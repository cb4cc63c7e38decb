namespace P2PMesh.PServer.Tests.Telemetry;

/// <summary>
/// The telemetry tests listen process-wide (one tracer provider, one meter listener, as a real process has one host):
/// they run on their own, after the parallel tests, so that no other test's requests are recorded with theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "Telemetry";
}
