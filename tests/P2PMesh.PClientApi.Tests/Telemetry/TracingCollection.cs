namespace P2PMesh.PClientApi.Tests.Telemetry;

/// <summary>
/// The tests that read <see cref="InMemoryTracing"/>: alone, after the parallel tests, so that every span it holds is
/// theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TracingCollection : ICollectionFixture<InMemoryTracing>
{
    public const string Name = "Tracing (one provider for the process)";
}
