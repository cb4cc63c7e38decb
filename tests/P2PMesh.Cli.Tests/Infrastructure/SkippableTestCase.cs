using System.ComponentModel;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace P2PMesh.Cli.Tests.Infrastructure;

/// <summary>Runs like a normal test case, but reports a failure by <see cref="SkipException"/> as a skip.</summary>
public sealed class SkippableTestCase : XunitTestCase
{
    [EditorBrowsable(EditorBrowsableState.Never)]
    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public SkippableTestCase()
    {
    }

    public SkippableTestCase(IMessageSink diagnosticMessageSink, TestMethodDisplay defaultMethodDisplay, TestMethodDisplayOptions defaultMethodDisplayOptions, ITestMethod testMethod)
        : base(diagnosticMessageSink, defaultMethodDisplay, defaultMethodDisplayOptions, testMethod)
    {
    }

    public override async Task<RunSummary> RunAsync(
        IMessageSink diagnosticMessageSink, IMessageBus messageBus, object[] constructorArguments, ExceptionAggregator aggregator, CancellationTokenSource cancellationTokenSource)
    {
        var bus = new SkippingMessageBus(messageBus);
        var summary = await base.RunAsync(diagnosticMessageSink, bus, constructorArguments, aggregator, cancellationTokenSource);
        if (bus.Skipped > 0)
        {
            summary.Failed -= bus.Skipped;
            summary.Skipped += bus.Skipped;
        }
        return summary;
    }

    private sealed class SkippingMessageBus(IMessageBus inner) : IMessageBus
    {
        public int Skipped { get; private set; }

        public bool QueueMessage(IMessageSinkMessage message)
        {
            if (message is ITestFailed failed && failed.ExceptionTypes.FirstOrDefault() == typeof(SkipException).FullName)
            {
                Skipped++;
                return inner.QueueMessage(new TestSkipped(failed.Test, failed.Messages.FirstOrDefault()));
            }
            return inner.QueueMessage(message);
        }

        public void Dispose()
        {
            // The inner bus belongs to the runner.
        }
    }
}
