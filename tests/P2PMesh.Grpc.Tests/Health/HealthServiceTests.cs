using Grpc.Health.V1;
using P2PMesh.Testing;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace P2PMesh.Grpc.Tests.Health;

/// <summary><c>grpc.health.v1.Health</c> driven by ASP.NET Core health checks (doc/health-checking.md).</summary>
public sealed class HealthServiceTests : IAsyncLifetime
{
    private static readonly Method<HealthCheckRequest, HealthCheckResponse> Check = new(HealthReflection.Descriptor.Services[0], "Check");
    private static readonly Method<HealthCheckRequest, HealthCheckResponse> Watch = new(HealthReflection.Descriptor.Services[0], "Watch");
    private EchoGrpcHost _host = null!;
    private GrpcChannel _channel = null!;

    public async Task InitializeAsync()
    {
        _host = await EchoGrpcHost.StartAsync(health: h =>
        {
            h.WatchInterval = TimeSpan.FromMilliseconds(50);
            h.Map("only-other-checks", registration => registration.Name != "toggle");
        });
        _channel = GrpcChannel.ForAddress(_host.Address);
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _host.DisposeAsync();
    }

    [Theory]
    [InlineData("")]
    [InlineData("p2pmesh.testing.v1.Echo")]
    [InlineData("grpc.health.v1.Health")]
    public async Task Check_KnownName_Serving(string service)
    {
        var reply = await _channel.AsyncUnaryCall(Check, new HealthCheckRequest { Service = service });
        Assert.Equal(ServingStatus.Serving, reply.Status);
    }

    [Fact]
    public async Task Check_FailingHealthCheck_NotServing()
    {
        _host.Health.Healthy = false;
        var whole = await _channel.AsyncUnaryCall(Check, new HealthCheckRequest());
        var filtered = await _channel.AsyncUnaryCall(Check, new HealthCheckRequest { Service = "only-other-checks" });
        Assert.Equal(ServingStatus.NotServing, whole.Status);
        Assert.Equal(ServingStatus.Serving, filtered.Status);
    }

    [Fact]
    public async Task Check_UnknownName_NotFound()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            await _channel.AsyncUnaryCall(Check, new HealthCheckRequest { Service = "no.such.Service" }));
        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }

    [Fact]
    public async Task Watch_StatusChanges_StreamedAsTheyHappen()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var call = _channel.AsyncServerStreamingCall(Watch, new HealthCheckRequest(), new CallOptions(CancellationToken: cts.Token));
        await using var updates = call.ResponseStream.GetAsyncEnumerator(cts.Token);

        Assert.True(await updates.MoveNextAsync());
        Assert.Equal(ServingStatus.Serving, updates.Current.Status);
        _host.Health.Healthy = false;
        Assert.True(await updates.MoveNextAsync());
        Assert.Equal(ServingStatus.NotServing, updates.Current.Status);
        _host.Health.Healthy = true;
        Assert.True(await updates.MoveNextAsync());
        Assert.Equal(ServingStatus.Serving, updates.Current.Status);
    }

    [Fact]
    public async Task Watch_UnknownName_ServiceUnknownAndStaysOpen()
    {
        var call = _channel.AsyncServerStreamingCall(Watch, new HealthCheckRequest { Service = "no.such.Service" });
        var updates = call.ResponseStream.GetAsyncEnumerator();
        Assert.True(await updates.MoveNextAsync());
        Assert.Equal(ServingStatus.ServiceUnknown, updates.Current.Status);

        var next = updates.MoveNextAsync().AsTask();
        Assert.NotSame(next, await Task.WhenAny(next, Task.Delay(500)));   // still open, nothing more
        call.Dispose();
        var ex = await Assert.ThrowsAsync<RpcException>(() => next);
        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
        await updates.DisposeAsync();
    }
}
