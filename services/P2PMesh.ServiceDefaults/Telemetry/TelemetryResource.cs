using Microsoft.Extensions.Configuration;
using OpenTelemetry.Resources;

namespace P2PMesh.ServiceDefaults.Telemetry;

/// <summary>
/// The OpenTelemetry resource of a service (semantic conventions, "Service" and "Kubernetes" resource
/// attributes): <c>service.name</c> (default per service, <c>OTEL_SERVICE_NAME</c> wins),
/// <c>service.instance.id</c> (the peer id), <c>k8s.pod.name</c> (from <c>K8S_POD_NAME</c> or
/// <c>POD_NAME</c>, set by the manifests through the downward API), the SDK's <c>telemetry.sdk.*</c>,
/// and last <c>OTEL_RESOURCE_ATTRIBUTES</c>, which overrides any of them.
/// </summary>
public static class TelemetryResource
{
    /// <summary>Configuration keys that name the pod, in order of preference.</summary>
    public static IReadOnlyList<string> PodNameKeys { get; } = ["K8S_POD_NAME", "POD_NAME"];

    /// <summary>Adds the attributes above to <paramref name="resource"/>.</summary>
    /// <param name="resource">The builder of a tracer or meter provider whose services hold the host's configuration.</param>
    /// <param name="configuration">The host's configuration (for the pod name).</param>
    /// <param name="serviceName">The default <c>service.name</c>, e.g. <c>p2pmesh-pserver</c>.</param>
    /// <param name="serviceInstanceId">The <c>service.instance.id</c>: the peer id.</param>
    public static ResourceBuilder Configure(ResourceBuilder resource, IConfiguration configuration, string serviceName, string serviceInstanceId)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(configuration);
        resource.AddService(serviceName, serviceInstanceId: serviceInstanceId, autoGenerateServiceInstanceId: false).AddTelemetrySdk();
        var pod = PodNameKeys.Select(k => configuration[k]).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
        if (pod is not null)
        {
            resource.AddAttributes([new KeyValuePair<string, object>("k8s.pod.name", pod)]);
        }
        // OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME, read from the provider's IConfiguration (the host's).
        return resource.AddEnvironmentVariableDetector();
    }
}
