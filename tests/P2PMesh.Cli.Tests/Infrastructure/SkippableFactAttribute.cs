using Xunit.Sdk;

namespace P2PMesh.Cli.Tests.Infrastructure;

/// <summary>
/// A [Fact] that may decide at run time to be skipped, by throwing <see cref="SkipException"/> (xunit 2
/// only skips statically). Used for tests that need a Unix or Linux facility (signals, /bin/sh, /proc).
/// </summary>
[XunitTestCaseDiscoverer("P2PMesh.Cli.Tests.Infrastructure.SkippableFactDiscoverer", "P2PMesh.Cli.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class SkippableFactAttribute : FactAttribute;
