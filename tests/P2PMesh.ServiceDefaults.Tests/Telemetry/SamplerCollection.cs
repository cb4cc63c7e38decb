namespace P2PMesh.ServiceDefaults.Tests.Telemetry;

/// <summary>
/// Runs the sampler tests alone, after every parallel test of the assembly: .NET samples an activity once for
/// all the listeners of its source in the process, keeping the most permissive decision, so while another
/// host (with another sampler) listens to <c>P2PMesh.*</c> this host's spans may be recorded despite its own
/// sampler. One host per process, as deployed, is unaffected.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SamplerCollection
{
    public const string Name = "Samplers (no other host in the process)";
}
