using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;
using P2PMesh.Contracts;
using P2PMesh.Core.Telemetry;
using P2PMesh.ServiceDefaults.Telemetry;

namespace P2PMesh.PServer.Tests.Telemetry;

/// <summary>
/// What every host in this process records while it lives: spans through ONE process-wide tracer provider built as
/// every service builds its own (<see cref="TelemetryExtensions.AddMeshInstrumentation"/>, the mesh's housekeeping
/// calls) and exported to memory, and the measurements of the <c>P2PMesh</c> meter and ASP.NET Core's request meter,
/// told apart by the host whose meter factory made them. The hosts themselves run without an OTLP endpoint.
/// </summary>
public sealed class TelemetryCapture : IDisposable
{
    /// <summary>ASP.NET Core's request metrics: <c>http.server.request.duration</c> (one measurement per request, with <c>http.route</c>).</summary>
    public const string RequestDuration = "http.server.request.duration";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly SpanList _spans = new();
    private readonly ConcurrentQueue<RecordedMeasurement> _measurements = new();
    private readonly TracerProvider _tracing;
    private readonly MeterListener _metrics = new();

    private TelemetryCapture(Sampler? sampler)
    {
        var tracing = Sdk.CreateTracerProviderBuilder()
            .AddMeshInstrumentation(new HousekeepingCalls(HousekeepingMethods.Paths))
            .AddInMemoryExporter(_spans);
        if (sampler is not null)
        {
            tracing.SetSampler(sampler);
        }
        _tracing = tracing.Build();
        _metrics.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name is MeshInstrumentNames.MeterName or "Microsoft.AspNetCore.Hosting")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _metrics.SetMeasurementEventCallback<int>((i, value, tags, _) => Record(i, value, tags));
        _metrics.SetMeasurementEventCallback<long>((i, value, tags, _) => Record(i, value, tags));
        _metrics.SetMeasurementEventCallback<double>((i, value, tags, _) => Record(i, value, tags));
        _metrics.Start();
    }

    /// <summary>Starts capturing; <paramref name="sampler"/> replaces the default (parent-based, always on).</summary>
    public static TelemetryCapture Start(Sampler? sampler = null) => new(sampler);

    /// <summary>Every span that ended so far.</summary>
    public IReadOnlyList<Activity> Spans => _spans.Snapshot();

    /// <summary>Waits (at most 30 s) until the spans that ended satisfy <paramref name="condition"/>, and returns them.</summary>
    public async Task<IReadOnlyList<Activity>> SpansWhenAsync(Func<IReadOnlyList<Activity>, bool> condition, string what)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var spans = Spans;
            if (condition(spans))
            {
                return spans;
            }
            Assert.True(waited.Elapsed < Patience, $"not within {Patience.TotalSeconds:0} s: {what}");
            await Task.Delay(20);
        }
    }

    /// <summary>Reads every observable instrument (the gauges) now.</summary>
    public void CollectGauges() => _metrics.RecordObservableInstruments();

    /// <summary>The measurements of <paramref name="instrument"/> by the running <paramref name="host"/> (every host when <c>null</c>), in order.</summary>
    public IReadOnlyList<RecordedMeasurement> Measurements(IServiceProvider? host, string instrument) =>
        Measurements(host?.GetRequiredService<IMeterFactory>(), instrument);

    /// <summary>The measurements of <paramref name="instrument"/> by the host whose meter factory is <paramref name="scope"/> (every host when <c>null</c>), in order.</summary>
    public IReadOnlyList<RecordedMeasurement> Measurements(IMeterFactory? scope, string instrument) =>
        [.. _measurements.Where(m => m.Instrument == instrument && (scope is null || ReferenceEquals(m.Scope, scope)))];

    /// <summary>Requests to <paramref name="route"/> that the running <paramref name="host"/> (every host when <c>null</c>) served.</summary>
    public int Served(IServiceProvider? host, string route) => Served(host?.GetRequiredService<IMeterFactory>(), route);

    /// <summary>Requests to <paramref name="route"/> that the host whose meter factory is <paramref name="scope"/> (every host when <c>null</c>) served.</summary>
    public int Served(IMeterFactory? scope, string route) => Measurements(scope, RequestDuration).Count(m => m.Route == route);

    public void Dispose()
    {
        _metrics.Dispose();
        _tracing.Dispose();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? route = null;
        foreach (var tag in tags)
        {
            if (tag.Key == "http.route")
            {
                route = tag.Value as string;
            }
        }
        _measurements.Enqueue(new RecordedMeasurement(instrument.Meter.Scope, instrument.Name, value, route));
    }

    /// <summary>The exporter's list, safe to read while spans of other requests end.</summary>
    private sealed class SpanList : ICollection<Activity>
    {
        private readonly List<Activity> _items = [];
        private readonly Lock _lock = new();

        public int Count
        {
            get
            {
                lock (_lock)
                {
                    return _items.Count;
                }
            }
        }

        public bool IsReadOnly => false;

        public void Add(Activity item)
        {
            lock (_lock)
            {
                _items.Add(item);
            }
        }

        public Activity[] Snapshot()
        {
            lock (_lock)
            {
                return [.. _items];
            }
        }

        public void Clear()
        {
            lock (_lock)
            {
                _items.Clear();
            }
        }

        public bool Contains(Activity item) => Snapshot().Contains(item);

        public void CopyTo(Activity[] array, int arrayIndex) => Snapshot().CopyTo(array, arrayIndex);

        public bool Remove(Activity item)
        {
            lock (_lock)
            {
                return _items.Remove(item);
            }
        }

        public IEnumerator<Activity> GetEnumerator() => ((IEnumerable<Activity>)Snapshot()).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
