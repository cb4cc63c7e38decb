namespace P2PMesh.ServiceDefaults.Tests.Telemetry;

/// <summary>
/// Hosts that export: one at a time, after every parallel test of the assembly. A tracer or meter provider listens to
/// its sources and meters by name across the whole process (there is one host per process when deployed), so a second
/// exporting host would export this one's spans too.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ExportCollection
{
    public const string Name = "Exporting hosts (alone in the process)";
}
