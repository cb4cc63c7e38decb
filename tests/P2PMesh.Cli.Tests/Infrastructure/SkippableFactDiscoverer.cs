using Xunit.Abstractions;
using Xunit.Sdk;

namespace P2PMesh.Cli.Tests.Infrastructure;

/// <summary>Discovers <see cref="SkippableFactAttribute"/> tests as <see cref="SkippableTestCase"/>s.</summary>
public sealed class SkippableFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        [new SkippableTestCase(diagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod)];
}
