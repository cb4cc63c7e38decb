using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace P2PMesh.ServiceDefaults.Tests;

/// <summary>
/// What a <see cref="TestHost"/> emits: spans <see cref="SpanName"/> on the host's own source
/// <see cref="SourceName"/> (a keyed singleton, as the services register theirs) and the counter
/// <see cref="CounterName"/> on the host's <c>P2PMesh</c> meter (made by its <see cref="IMeterFactory"/>).
/// </summary>
public sealed class TestWork
{
    /// <summary>Matches the exported <c>P2PMesh.*</c> sources.</summary>
    public const string SourceName = "P2PMesh.ServiceDefaults.Tests";

    public const string SpanName = "test.work";

    public const string CounterName = "p2pmesh.test.work";

    private readonly ActivitySource _source;
    private readonly Counter<long> _counter;

    public TestWork([FromKeyedServices(SourceName)] ActivitySource source, IMeterFactory meters)
    {
        _source = source;
        _counter = meters.Create("P2PMesh").CreateCounter<long>(CounterName, "{unit}");
    }

    /// <summary>Records <paramref name="count"/> spans (children of <see cref="Activity.Current"/>) and adds as much to the counter.</summary>
    public void Do(int count = 1)
    {
        for (var i = 0; i < count; i++)
        {
            using var activity = _source.StartActivity(SpanName, ActivityKind.Internal);
            activity?.SetTag("test.index", i);
            _counter.Add(1);
        }
    }
}
