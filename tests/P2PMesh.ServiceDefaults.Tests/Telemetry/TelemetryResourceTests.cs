using OpenTelemetry.Proto.Resource.V1;
using P2PMesh.Testing.Otlp;

namespace P2PMesh.ServiceDefaults.Tests.Telemetry;

/// <summary>
/// The resource (<see cref="P2PMesh.ServiceDefaults.Telemetry.TelemetryResource"/>) as a receiver gets it, on spans
/// and on metrics, from a host exporting over OTLP on loopback, by either protocol.
/// </summary>
[Collection(ExportCollection.Name)]
public sealed class TelemetryResourceTests
{
    [Theory]
    [InlineData("http/protobuf")]
    [InlineData("grpc")]
    public async Task Resource_Defaults_ServiceNameAndPeerIdAsInstanceNoPod(string protocol)
    {
        var (spans, metrics) = await ExportAsync(r => Otlp.To(r, protocol));

        foreach (var resource in spans.Concat(metrics))
        {
            Assert.Equal(TestHost.ServiceName, Attribute(resource, "service.name"));
            Assert.Equal(TestHost.InstanceId, Attribute(resource, "service.instance.id"));
            Assert.Equal("dotnet", Attribute(resource, "telemetry.sdk.language"));
            Assert.Equal("opentelemetry", Attribute(resource, "telemetry.sdk.name"));
            Assert.Null(Attribute(resource, "k8s.pod.name"));
        }
    }

    [Theory]
    [InlineData("http/protobuf")]
    [InlineData("grpc")]
    public async Task Resource_OtelServiceName_OverridesTheDefault(string protocol)
    {
        var (spans, metrics) = await ExportAsync(r => [.. Otlp.To(r, protocol), "--OTEL_SERVICE_NAME=my-mesh-peer"]);

        Assert.All(spans.Concat(metrics), r => Assert.Equal("my-mesh-peer", Attribute(r, "service.name")));
        Assert.All(spans.Concat(metrics), r => Assert.Equal(TestHost.InstanceId, Attribute(r, "service.instance.id")));
    }

    [Fact]
    public async Task Resource_OtelResourceAttributes_MergedAndOverridingButNotOtelServiceName()
    {
        var (spans, metrics) = await ExportAsync(r => [.. Otlp.To(r),
            "--OTEL_RESOURCE_ATTRIBUTES=deployment.environment=staging,k8s.namespace.name=p2p,service.instance.id=from-attributes,service.name=from-attributes",
            "--OTEL_SERVICE_NAME=from-service-name",
            "--POD_NAME=peer-3"]);

        foreach (var resource in spans.Concat(metrics))
        {
            // Added.
            Assert.Equal("staging", Attribute(resource, "deployment.environment"));
            Assert.Equal("p2p", Attribute(resource, "k8s.namespace.name"));
            // Overridden: OTEL_RESOURCE_ATTRIBUTES comes last...
            Assert.Equal("from-attributes", Attribute(resource, "service.instance.id"));
            // ...but OTEL_SERVICE_NAME wins over its service.name (Resource SDK spec).
            Assert.Equal("from-service-name", Attribute(resource, "service.name"));
            // Untouched.
            Assert.Equal("peer-3", Attribute(resource, "k8s.pod.name"));
            Assert.Single(resource.Attributes, a => a.Key == "service.instance.id");
        }
    }

    [Theory]
    [InlineData("--POD_NAME=mesh-peer-4", null, "mesh-peer-4")]
    [InlineData(null, "--K8S_POD_NAME=mesh-peer-5", "mesh-peer-5")]
    [InlineData("--POD_NAME=mesh-peer-4", "--K8S_POD_NAME=mesh-peer-5", "mesh-peer-5")]
    public async Task Resource_PodName_K8sPodName(string? podName, string? k8sPodName, string expected)
    {
        string[] pod = [.. new[] { podName, k8sPodName }.OfType<string>()];
        var (spans, metrics) = await ExportAsync(r => [.. Otlp.To(r), .. pod]);

        Assert.All(spans.Concat(metrics), r => Assert.Equal(expected, Attribute(r, "k8s.pod.name")));
    }

    /// <summary>
    /// Runs a host with the settings for a fresh receiver, one request doing two units of work, and disposes it (which
    /// flushes); the resources of the spans and metrics received, neither empty.
    /// </summary>
    private static async Task<(List<Resource> Spans, List<Resource> Metrics)> ExportAsync(Func<OtlpReceiver, string[]> settings)
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using (var host = await TestHost.StartAsync(settings(receiver)))
        {
            Assert.Equal("done", await host.Client.GetStringAsync("/work?count=2"));
        }
        Assert.Equal(2, receiver.Spans.Count(s => s.Span.Name == TestWork.SpanName));
        Assert.Equal(2, Otlp.WorkCount(receiver));
        return ([.. receiver.Spans.Select(s => s.Resource)], [.. receiver.Metrics.Select(m => m.Resource)]);
    }

    private static string? Attribute(Resource resource, string key) => OtlpAttributes.String(resource.Attributes, key);
}
