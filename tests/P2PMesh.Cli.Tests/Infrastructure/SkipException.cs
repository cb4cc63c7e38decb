namespace P2PMesh.Cli.Tests.Infrastructure;

/// <summary>Thrown by a <see cref="SkippableFactAttribute"/> test to be reported as skipped, with the reason.</summary>
public sealed class SkipException(string reason) : Exception(reason);
