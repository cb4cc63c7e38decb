namespace P2PMesh.ServiceDefaults.Telemetry;

/// <summary>The default <c>service.name</c> of each service (when <c>OTEL_SERVICE_NAME</c> is unset).</summary>
public static class TelemetryServiceNames
{
    /// <summary>The peer node: <c>p2pmesh-pserver</c>.</summary>
    public const string PServer = "p2pmesh-pserver";

    /// <summary>The peer's REST API: <c>p2pmesh-pclient-api</c>.</summary>
    public const string PClientApi = "p2pmesh-pclient-api";

    /// <summary>The rendezvous: <c>p2pmesh-bootstrap</c>.</summary>
    public const string Bootstrap = "p2pmesh-bootstrap";
}
