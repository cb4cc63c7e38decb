using P2PMesh.Cli.Commands.Up;
using P2PMesh.Cli.LocalMesh;

namespace P2PMesh.Cli.Tests.Commands.Up;

/// <summary>The telemetry line of <c>up</c>'s summary.</summary>
public sealed class UpCommandTelemetryTests
{
    [Fact]
    public void Telemetry_Otlp_EndpointProtocolAndServiceNames()
    {
        var line = UpCommand.Telemetry(new OtlpSettings(new Uri("http://localhost:4318")), _ => "http://ignored:1");

        Assert.Equal("OTLP http://localhost:4318 (http/protobuf) as p2pmesh-bootstrap, p2pmesh-pserver, p2pmesh-pclient-api", line);
    }

    [Fact]
    public void Telemetry_InheritedEndpoint_SaysSoWithTheDefaultProtocol()
    {
        var environment = new Dictionary<string, string> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://jaeger:4317" };

        var line = UpCommand.Telemetry(null, environment.GetValueOrDefault);

        Assert.Equal("OTLP http://jaeger:4317 (grpc), inherited from $OTEL_EXPORTER_OTLP_ENDPOINT", line);
    }

    [Fact]
    public void Telemetry_NoEndpointAnywhere_NoLine()
    {
        Assert.Null(UpCommand.Telemetry(null, _ => null));
    }
}
