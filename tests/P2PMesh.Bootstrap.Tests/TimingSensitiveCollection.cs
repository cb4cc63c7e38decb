namespace P2PMesh.Bootstrap.Tests;

/// <summary>
/// Tests that rely on real sub-second timing (expiry with a 500 ms window) run on their own, after the
/// parallel ones, so a busy 2-core machine starting a dozen hosts at once cannot stall a heartbeat past it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingSensitiveCollection
{
    public const string Name = "Timing-sensitive";
}
