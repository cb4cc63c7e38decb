using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Trace;
using P2PMesh.Contracts;
using P2PMesh.ServiceDefaults.Telemetry;

namespace P2PMesh.PClientApi.Tests.Telemetry;

/// <summary>
/// One tracer provider for the whole test process, with the tracing every service has
/// (<see cref="TelemetryExtensions.AddMeshInstrumentation"/>) and an in-memory exporter: the hosts under test run without
/// an OTLP endpoint (so without providers of their own), and a provider listens to every host of the process, so the
/// spans of all of them land here, told apart by their attributes (<c>server.port</c>, <c>url.path</c>,
/// <c>p2pmesh.*</c>). Shared by <see cref="TracingCollection"/>, whose tests run alone.
/// </summary>
public sealed class InMemoryTracing : IDisposable
{
    private readonly List<Activity> _spans = [];
    private readonly TracerProvider _provider;

    public InMemoryTracing() =>
        _provider = Sdk.CreateTracerProviderBuilder()
            .AddMeshInstrumentation(new HousekeepingCalls(HousekeepingMethods.Paths))
            .AddInMemoryExporter(_spans)
            .Build();

    /// <summary>
    /// The spans ended since the last call, and forgets them. Call it once every host of the test has been disposed:
    /// the exporter adds to the list as spans end.
    /// </summary>
    public IReadOnlyList<Activity> Take()
    {
        _provider.ForceFlush();
        List<Activity> spans = [.. _spans];
        _spans.Clear();
        return spans;
    }

    public void Dispose() => _provider.Dispose();
}
