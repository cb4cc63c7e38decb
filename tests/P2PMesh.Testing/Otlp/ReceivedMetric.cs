using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Metrics.V1;
using OpenTelemetry.Proto.Resource.V1;

namespace P2PMesh.Testing.Otlp;

/// <summary>One received metric with the resource and instrumentation scope it came under.</summary>
public sealed record ReceivedMetric(Resource Resource, InstrumentationScope Scope, Metric Metric)
{
    public string? ServiceName => OtlpAttributes.String(Resource.Attributes, "service.name");

    public string? ServiceInstanceId => OtlpAttributes.String(Resource.Attributes, "service.instance.id");

    /// <summary>The sum over data points of a counter or gauge (int or double), or of a histogram's counts.</summary>
    public double Total => Metric.DataCase switch
    {
        Metric.DataOneofCase.Sum => Metric.Sum.DataPoints.Sum(Value),
        Metric.DataOneofCase.Gauge => Metric.Gauge.DataPoints.Sum(Value),
        Metric.DataOneofCase.Histogram => Metric.Histogram.DataPoints.Sum(p => (double)p.Count),
        _ => throw new InvalidOperationException($"{Metric.Name}: {Metric.DataCase} is not summed here"),
    };

    private static double Value(NumberDataPoint point) =>
        point.ValueCase == NumberDataPoint.ValueOneofCase.AsInt ? point.AsInt : point.AsDouble;
}
