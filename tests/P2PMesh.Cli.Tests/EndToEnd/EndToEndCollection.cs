namespace P2PMesh.Cli.Tests.EndToEnd;

/// <summary>Real-process meshes: one at a time, after the parallel tests (a 2-core machine runs 11 processes per mesh).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EndToEndCollection
{
    public const string Name = "EndToEnd";
}
