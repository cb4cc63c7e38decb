using System.Collections.Concurrent;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;

namespace P2PMesh.Testing.Otlp;

/// <summary>What an <see cref="OtlpReceiver"/> received, by either protocol. Thread-safe.</summary>
public sealed class OtlpStore
{
    private int _requests;

    /// <summary>Trace exports, in arrival order.</summary>
    public ConcurrentQueue<ExportTraceServiceRequest> Traces { get; } = new();

    /// <summary>Metrics exports, in arrival order.</summary>
    public ConcurrentQueue<ExportMetricsServiceRequest> Metrics { get; } = new();

    /// <summary>Requests of any kind.</summary>
    public int RequestCount => Volatile.Read(ref _requests);

    /// <summary>Counts one request.</summary>
    public void Counted() => Interlocked.Increment(ref _requests);
}
