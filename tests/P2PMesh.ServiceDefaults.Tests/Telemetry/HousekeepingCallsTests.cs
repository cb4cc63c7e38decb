using P2PMesh.Contracts;
using P2PMesh.ServiceDefaults.Telemetry;

namespace P2PMesh.ServiceDefaults.Tests.Telemetry;

/// <summary>
/// <see cref="HousekeepingCalls"/>: which calls are housekeeping, for the methods every service passes
/// (<see cref="HousekeepingMethods.Paths"/>) and the probes every host has.
/// </summary>
public sealed class HousekeepingCallsTests
{
    private static readonly HousekeepingCalls Housekeeping = new(HousekeepingMethods.Paths);

    [Fact]
    public void GrpcMethods_NeighbourMaintenanceBootstrapDirectoryAndHealth()
    {
        Assert.Equal(
        [
            "/p2pmesh.v1.Peer/Ping", "/p2pmesh.v1.Peer/Link", "/p2pmesh.v1.Peer/Unlink", "/p2pmesh.v1.Peer/GetNeighbours",
            "/p2pmesh.v1.Bootstrap/Join", "/p2pmesh.v1.Bootstrap/Heartbeat", "/p2pmesh.v1.Bootstrap/Leave", "/p2pmesh.v1.Bootstrap/ListPeers",
            "/p2pmesh.v1.PeerDirectory/Login", "/p2pmesh.v1.PeerDirectory/Logout", "/p2pmesh.v1.PeerDirectory/SendIndex",
            "/p2pmesh.v1.PeerDirectory/IssueToken", "/p2pmesh.v1.PeerDirectory/GetTokenKeys",
            "/grpc.health.v1.Health/Check", "/grpc.health.v1.Health/Watch",
        ], Housekeeping.GrpcMethods);
        Assert.Equal(["/healthz", "/readyz"], HousekeepingCalls.HttpProbePaths);
    }

    [Theory]
    [InlineData("p2pmesh.v1.Peer/Ping", true)]
    [InlineData("p2pmesh.v1.Bootstrap/Heartbeat", true)]
    [InlineData("grpc.health.v1.Health/Watch", true)]
    [InlineData("p2pmesh.v1.Peer/Search", false)]
    [InlineData("p2pmesh.v1.Peer/ReadChunks", false)]
    [InlineData("p2pmesh.v1.Peer/Upload", false)]
    [InlineData("/p2pmesh.v1.Peer/Ping", false)]      // a path, not a span name
    [InlineData("p2pmesh.v1.peer/ping", false)]       // gRPC names are case-sensitive
    public void IsRpcSpanName(string name, bool expected) => Assert.Equal(expected, Housekeeping.IsRpcSpanName(name));

    [Theory]
    [InlineData("/healthz", true)]
    [InlineData("/readyz", true)]
    [InlineData("/HEALTHZ", true)]                    // routing ignores case
    [InlineData("/p2pmesh.v1.Peer/Link", true)]
    [InlineData("/grpc.health.v1.Health/Check", true)]
    [InlineData("/api/search", false)]
    [InlineData("/api/peers", false)]
    [InlineData("/p2pmesh.v1.Peer/Search", false)]
    [InlineData("/healthz/more", false)]
    public void IsRequestPath(string path, bool expected) => Assert.Equal(expected, Housekeeping.IsRequestPath(path));

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("p2pmesh.v1.Peer/Ping")]
    public void New_NotAPath_Throws(string method)
    {
        var error = Assert.Throws<ArgumentException>(() => new HousekeepingCalls([method]));

        Assert.Equal("methods", error.ParamName);
    }
}
