using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;

namespace P2PMesh.Testing.Otlp;

/// <summary>One received span with the resource and instrumentation scope it came under.</summary>
public sealed record ReceivedSpan(Resource Resource, InstrumentationScope Scope, Span Span)
{
    public string TraceId => Convert.ToHexStringLower(Span.TraceId.Span);

    public string SpanId => Convert.ToHexStringLower(Span.SpanId.Span);

    /// <summary>The parent's span id, or <c>null</c> for a root.</summary>
    public string? ParentSpanId => Span.ParentSpanId.IsEmpty ? null : Convert.ToHexStringLower(Span.ParentSpanId.Span);

    public string? ServiceName => OtlpAttributes.String(Resource.Attributes, "service.name");

    public string? ServiceInstanceId => OtlpAttributes.String(Resource.Attributes, "service.instance.id");

    /// <summary>The span attribute <paramref name="key"/>, or <c>null</c>.</summary>
    public AnyValue? Attribute(string key) => OtlpAttributes.Find(Span.Attributes, key);

    public override string ToString() => $"{Span.Name} [{Span.Kind}] {ServiceInstanceId} {SpanId} <- {ParentSpanId}";
}
