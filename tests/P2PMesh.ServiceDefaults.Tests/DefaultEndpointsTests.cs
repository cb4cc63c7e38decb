using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace P2PMesh.ServiceDefaults.Tests;

/// <summary>
/// <see cref="Extensions.MapDefaultEndpoints"/>: <c>/healthz</c> answers for the liveness checks, <c>/readyz</c> for the
/// readiness checks (RFC 9457 problem details naming what is not ready), over plain HTTP/1.1.
/// </summary>
public sealed class DefaultEndpointsTests
{
    [Fact]
    public async Task Probes_AllHealthy_OkAndReadyAsPlainText()
    {
        await using var host = await TestHost.StartWithoutGrpcAsync();

        using var live = await host.Client.GetAsync("/healthz");
        using var ready = await host.Client.GetAsync("/readyz");

        Assert.Equal((HttpStatusCode.OK, "ok"), (live.StatusCode, await live.Content.ReadAsStringAsync()));
        Assert.Equal((HttpStatusCode.OK, "ready"), (ready.StatusCode, await ready.Content.ReadAsStringAsync()));
        Assert.Equal("text/plain", ready.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Readyz_ReadinessCheckFails_503ProblemNamingItWhileHealthzStaysOk()
    {
        // Arrange
        await using var host = await TestHost.StartWithoutGrpcAsync();
        host.Ready.Healthy = false;

        // Act
        using var ready = await host.Client.GetAsync("/readyz");
        using var live = await host.Client.GetAsync("/healthz");

        // Assert: the failing check's description is the detail; liveness does not depend on readiness.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("application/problem+json", ready.Content.Headers.ContentType!.MediaType);
        using var problem = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        Assert.Equal(503, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("Not ready", problem.RootElement.GetProperty("title").GetString());
        Assert.Equal("toggled off", problem.RootElement.GetProperty("detail").GetString());
        Assert.Equal((HttpStatusCode.OK, "ok"), (live.StatusCode, await live.Content.ReadAsStringAsync()));

        // And back.
        host.Ready.Healthy = true;
        Assert.Equal("ready", await host.Client.GetStringAsync("/readyz"));
    }

    [Fact]
    public async Task Healthz_LivenessCheckFails_503WhileReadyzIsNotAsked()
    {
        await using var host = await TestHost.StartWithoutGrpcAsync();
        host.Live.Healthy = false;

        using var live = await host.Client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, live.StatusCode);
        using var problem = JsonDocument.Parse(await live.Content.ReadAsStringAsync());
        Assert.Equal("toggled off", problem.RootElement.GetProperty("detail").GetString());
        Assert.Equal("ready", await host.Client.GetStringAsync("/readyz"));
    }

    [Fact]
    public async Task NoGrpcEndpoint_NeitherGrpcHealthNorReflectionMapped()
    {
        await using var http = await TestHost.StartWithoutGrpcAsync();
        await using var grpc = await TestHost.StartAsync();

        Assert.DoesNotContain(Routes(http), r => r.Contains("grpc.", StringComparison.Ordinal));
        Assert.Contains("/grpc.health.v1.Health/Check", Routes(grpc));
        Assert.Contains("/grpc.reflection.v1.ServerReflection/ServerReflectionInfo", Routes(grpc));
        Assert.Contains("/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", Routes(grpc));
    }

    private static List<string> Routes(TestHost host) =>
        [.. host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().Select(e => e.RoutePattern.RawText ?? string.Empty)];
}
