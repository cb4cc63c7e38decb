using P2PMesh.Cli.LocalMesh;

namespace P2PMesh.Cli.Tests.LocalMesh;

/// <summary>What <c>--otlp</c> accepts and the environment each child gets from it.</summary>
public sealed class OtlpSettingsTests
{
    [Theory]
    [InlineData("http://localhost:4317", null)]
    [InlineData("https://collector.example:443", null)]
    [InlineData("http://localhost:4317/", null)]
    [InlineData("http://localhost:4318", OtlpProtocols.HttpProtobuf)]
    [InlineData("http://collector/otlp", OtlpProtocols.HttpProtobuf)]
    [InlineData("https://ingest.example/otlp-http/", OtlpProtocols.HttpProtobuf)]
    public void InferProtocol_Port4318OrAPath_HttpProtobuf_ElseGrpcDefault(string url, string? expected)
    {
        Assert.Equal(expected, OtlpSettings.InferProtocol(new Uri(url)));
    }

    [Theory]
    [InlineData("http://127.0.0.1:4317")]
    [InlineData("https://[::1]:4318/otlp")]
    public void Validate_AbsoluteHttpUrl_Accepted(string text)
    {
        Assert.Null(OtlpSettings.Validate(text, out var endpoint));
        Assert.Equal(new Uri(text), endpoint);
    }

    [Theory]
    [InlineData(null, "is not an absolute http(s) URL")]
    [InlineData("", "is not an absolute http(s) URL")]
    [InlineData("localhost:4317", "is not an absolute http(s) URL")]
    [InlineData("/relative/path", "is not an absolute http(s) URL")]
    [InlineData("ftp://collector:4317", "is not an absolute http(s) URL")]
    [InlineData("grpc://collector:4317", "is not an absolute http(s) URL")]
    [InlineData("http://collector:4318?x=1", "has a query or fragment")]
    [InlineData("http://collector:4318/v1/traces", "without /v1/traces")]
    [InlineData("http://collector:4318/otlp/v1/metrics/", "without /v1/metrics")]
    public void Validate_NotAUsableCollectorUrl_SaysWhy(string? text, string expected)
    {
        var error = OtlpSettings.Validate(text, out var endpoint);

        Assert.Null(endpoint);
        Assert.NotNull(error);
        Assert.StartsWith("--otlp: ", error);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void EnvironmentFor_GrpcEndpoint_SetsEndpointAndServiceName_RemovesProtocolAndSignalOverrides()
    {
        var environment = new OtlpSettings(new Uri("http://localhost:4317")).EnvironmentFor(MeshServiceNames.PServer);

        Assert.Equal("http://localhost:4317", environment["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("p2pmesh-pserver", environment["OTEL_SERVICE_NAME"]);
        // null: removed from the inherited environment, so the SDK's default (grpc) applies.
        Assert.True(environment.TryGetValue("OTEL_EXPORTER_OTLP_PROTOCOL", out var protocol));
        Assert.Null(protocol);
        foreach (var signal in new[] { "TRACES", "METRICS", "LOGS" })
        {
            Assert.True(environment.TryGetValue($"OTEL_EXPORTER_OTLP_{signal}_ENDPOINT", out var value) && value is null);
            Assert.True(environment.TryGetValue($"OTEL_EXPORTER_OTLP_{signal}_PROTOCOL", out value) && value is null);
        }
    }

    [Fact]
    public void EnvironmentFor_HttpEndpointWithPath_KeepsThePathAndSetsHttpProtobuf()
    {
        var environment = new OtlpSettings(new Uri("http://collector:9000/otlp/")).EnvironmentFor(MeshServiceNames.PClientApi);

        Assert.Equal("http://collector:9000/otlp", environment["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("http/protobuf", environment["OTEL_EXPORTER_OTLP_PROTOCOL"]);
        Assert.Equal("p2pmesh-pclient-api", environment["OTEL_SERVICE_NAME"]);
    }

    [Theory]
    [InlineData("http://localhost:4318", OtlpProtocols.Grpc)]
    [InlineData("http://localhost:4317", OtlpProtocols.HttpProtobuf)]
    [InlineData("http://localhost:4317", OtlpProtocols.Grpc)]
    public void EnvironmentFor_ForcedProtocol_WinsAndIsSetExplicitly(string url, string forced)
    {
        var settings = new OtlpSettings(new Uri(url), forced);

        Assert.Equal(forced, settings.Protocol);
        Assert.Equal(forced, settings.EnvironmentFor(MeshServiceNames.Bootstrap)["OTEL_EXPORTER_OTLP_PROTOCOL"]);
    }
}
