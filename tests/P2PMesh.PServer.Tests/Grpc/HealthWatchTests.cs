using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using P2PMesh.Bootstrap.Tests;
using P2PMesh.Bootstrap.Tests.Grpc;
using P2PMesh.ServiceDefaults.Health;
using P2PMesh.V1;
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

    [Fact]
    public async Task HealthWatch_ReadinessChanges_ReportsEachChangeAndLivenessStaysServing()
    {
        // Arrange: one more readiness check, which the test turns off and on.
        var ready = true;
        await using var host = await PServerHost.StartAsync(configureBuilder: builder => builder.Services.AddHealthChecks().AddCheck(
            "test-switch", () => Volatile.Read(ref ready) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("switched off"), [HealthTags.Ready]));
        var health = new GrpcHealth.HealthClient(host.Channel);
        using var patience = new CancellationTokenSource(Patience);
        using var overall = health.Watch(new HealthCheckRequest(), cancellationToken: patience.Token);
        using var peer = health.Watch(new HealthCheckRequest { Service = Peer.Descriptor.FullName }, cancellationToken: patience.Token);
        await StandardServicesContract.WatchUntilAsync(overall.ResponseStream, ServingStatus.Serving, patience.Token);
        await StandardServicesContract.WatchUntilAsync(peer.ResponseStream, ServingStatus.Serving, patience.Token);

        // Act + Assert: each change reaches both watches; until then they report the previous status only.
        Volatile.Write(ref ready, false);
        await AssertChangesToAsync(overall.ResponseStream, ServingStatus.NotServing, patience.Token);
        await AssertChangesToAsync(peer.ResponseStream, ServingStatus.NotServing, patience.Token);
        Assert.Equal(ServingStatus.NotServing, (await health.CheckAsync(new HealthCheckRequest(), cancellationToken: patience.Token)).Status);
        Assert.Equal(ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest { Service = HealthTags.LivenessService }, cancellationToken: patience.Token)).Status);

        Volatile.Write(ref ready, true);
        await AssertChangesToAsync(overall.ResponseStream, ServingStatus.Serving, patience.Token);
        await AssertChangesToAsync(peer.ResponseStream, ServingStatus.Serving, patience.Token);
    }

    private static async Task AssertChangesToAsync(IAsyncStreamReader<HealthCheckResponse> responses, ServingStatus next, CancellationToken cancellationToken)
    {
        var previous = next == ServingStatus.Serving ? ServingStatus.NotServing : ServingStatus.Serving;
        var statuses = await StandardServicesContract.WatchUntilAsync(responses, next, cancellationToken);
        Assert.All(statuses[..^1], s => Assert.Equal(previous, s));
    }
}
