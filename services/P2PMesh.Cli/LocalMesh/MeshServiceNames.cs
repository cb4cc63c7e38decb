namespace P2PMesh.Cli.LocalMesh;

/// <summary>
/// The <c>OTEL_SERVICE_NAME</c> of each kind of child of <c>p2pmesh up</c> (the <c>service.name</c> resource
/// attribute: Jaeger's service list, the <c>job</c> label in Prometheus), the same names the chart gives its pods.
/// </summary>
internal static class MeshServiceNames
{
    /// <summary>The rendezvous service.</summary>
    public const string Bootstrap = "p2pmesh-bootstrap";

    /// <summary>A peer's gRPC node (search floods, chunks, uploads).</summary>
    public const string PServer = "p2pmesh-pserver";

    /// <summary>A peer's REST API.</summary>
    public const string PClientApi = "p2pmesh-pclient-api";
}
