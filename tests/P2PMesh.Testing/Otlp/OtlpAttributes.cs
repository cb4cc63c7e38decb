using Google.Protobuf.Collections;
using OpenTelemetry.Proto.Common.V1;

namespace P2PMesh.Testing.Otlp;

/// <summary>Lookups in OTLP attribute lists.</summary>
public static class OtlpAttributes
{
    public static AnyValue? Find(RepeatedField<KeyValue> attributes, string key) =>
        attributes.FirstOrDefault(a => a.Key == key)?.Value;

    public static string? String(RepeatedField<KeyValue> attributes, string key) =>
        Find(attributes, key) is { ValueCase: AnyValue.ValueOneofCase.StringValue } value ? value.StringValue : null;
}
