using Grpc.HealthCheck;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using P2PMesh.Bootstrap.Tests;
using P2PMesh.Bootstrap.Tests.Grpc;
using P2PMesh.ServiceDefaults.Health;
using GrpcHealth = Grpc.Health.V1.Health;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace P2PMesh.PServer.Tests.Grpc;

/// <summary>
/// A PServer's readiness that changes while probes watch (<c>grpc.health.v1.Health/Watch</c>). The health checks run on
/// a 2 s timer, so this runs on its own, after the parallel tests, where a saturated thread pool cannot hold the timer back.
/// </summary>
[Collection(TimingSensitiveCollection.Name)]
public sealed class HealthWatchTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("")]
    [InlineData("p2pmesh.v1.Peer")]
    public async Task HealthWatch_ReadinessChanges_ReportsEachChangeAndLivenessStaysServing(string service)
    {
        // Arrange: one more readiness check, which the test turns off and on.
        var ready = true;
        await using var host = await PServerHost.StartAsync(configureBuilder: builder => builder.Services.AddHealthChecks().AddCheck(
            "test-switch", () => Volatile.Read(ref ready) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("switched off"), [HealthTags.Ready]));
        var health = new GrpcHealth.HealthClient(host.Channel);
        using var patience = new CancellationTokenSource(Patience);
        // Watch answers its first message from the checks run now and later ones from the published statuses (every 2 s):
        // a change is reported against the last published status, so wait until that one says SERVING too.
        var published = host.Services.GetRequiredService<HealthServiceImpl>();
        while (await PublishedStatusAsync(published, service) != ServingStatus.Serving)
        {
            await Task.Delay(100, patience.Token);
        }
        using var watch = health.Watch(new HealthCheckRequest { Service = service }, cancellationToken: patience.Token);
        await StandardServicesContract.WatchUntilAsync(watch.ResponseStream, ServingStatus.Serving, patience.Token);

        // Act + Assert: each change reaches the watch; until then it reports the previous status only.
        Volatile.Write(ref ready, false);
        await AssertChangesToAsync(watch.ResponseStream, ServingStatus.NotServing, patience.Token);
        Assert.Equal(ServingStatus.NotServing, (await health.CheckAsync(new HealthCheckRequest { Service = service }, cancellationToken: patience.Token)).Status);
        Assert.Equal(ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest { Service = HealthTags.LivenessService }, cancellationToken: patience.Token)).Status);

        Volatile.Write(ref ready, true);
        await AssertChangesToAsync(watch.ResponseStream, ServingStatus.Serving, patience.Token);
    }

    /// <summary>The published status; SERVICE_UNKNOWN until the first publication (the cache answers NOT_FOUND).</summary>
    private static async Task<ServingStatus> PublishedStatusAsync(HealthServiceImpl published, string service)
    {
        try
        {
            return (await published.Check(new HealthCheckRequest { Service = service }, null!)).Status;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            return ServingStatus.ServiceUnknown;
        }
    }

    private static async Task AssertChangesToAsync(IAsyncStreamReader<HealthCheckResponse> responses, ServingStatus next, CancellationToken cancellationToken)
    {
        var previous = next == ServingStatus.Serving ? ServingStatus.NotServing : ServingStatus.Serving;
        var statuses = await StandardServicesContract.WatchUntilAsync(responses, next, cancellationToken);
        Assert.All(statuses[..^1], s => Assert.Equal(previous, s));
    }
}
