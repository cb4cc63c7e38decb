using Grpc.Core;
using P2PMesh.PServer.Tests.Mesh;

namespace P2PMesh.PServer.Tests.Search;

/// <summary>
/// The bound on concurrent floods (<c>Search:MaxConcurrentFloods</c>, docs/security.md): one more is refused at once
/// with RESOURCE_EXHAUSTED instead of queuing behind the others; the peer floods again once a slot is free.
/// </summary>
public sealed class FloodLimitTests
{
    [Fact]
    public async Task Flood_BeyondMaxConcurrentFloods_ResourceExhausted_ThenAcceptedAgain()
    {
        // p0 may run one flood; p1 answers its forwards only after 3 s, so p0's first flood stays running.
        await using var mesh = await TestMesh.StartAsync(2,
            i => i == 0 ? ["--Search:MaxConcurrentFloods=1"] : [],
            configureApp: i => i == 1 ? FloodSearchTests.DelaySearches(TimeSpan.FromSeconds(3)) : null);
        await mesh.ConnectAsync(Topology.Line(2));

        var first = mesh.SearchAsync(0, "*", ttl: 2);
        await Task.Delay(500);   // let the first flood reach its forward (not a timing assertion: only a head start)
        var second = await Assert.ThrowsAsync<RpcException>(() => mesh.SearchAsync(0, "*", ttl: 2));
        var firstOutcome = await first;
        var third = await mesh.SearchAsync(0, "*", ttl: 2);

        Assert.Equal(StatusCode.ResourceExhausted, second.StatusCode);
        Assert.Contains("MaxConcurrentFloods", second.Status.Detail, StringComparison.Ordinal);
        Assert.NotNull(firstOutcome.Stats);
        Assert.NotNull(third.Stats);
    }
}
