namespace P2PMesh.ServiceDefaults.Telemetry;

/// <summary>Who a host reports as, and where to.</summary>
/// <param name="ServiceName">The default <c>service.name</c> (<c>OTEL_SERVICE_NAME</c> overrides it).</param>
/// <param name="ServiceInstanceId">The <c>service.instance.id</c>: the peer id.</param>
/// <param name="Settings">The OTLP settings read from the host's configuration.</param>
public sealed record TelemetryIdentity(string ServiceName, string ServiceInstanceId, OtlpSettings Settings);
