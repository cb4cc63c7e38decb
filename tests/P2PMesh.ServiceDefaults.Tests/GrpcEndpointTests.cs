using Google.Protobuf;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1;
using P2PMesh.ServiceDefaults.Health;
using P2PMesh.V1;
using HealthClient = Grpc.Health.V1.Health.HealthClient;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace P2PMesh.ServiceDefaults.Tests;

/// <summary>
/// <see cref="GrpcEndpointExtensions.AddGrpcEndpoint"/> on a real plaintext HTTP/2 port: <c>grpc.health.v1</c> follows the
/// tagged health checks (<c>""</c> and each served service: readiness; <c>liveness</c>: liveness), <c>Watch</c> reports a
/// change, reflection lists what is served, and a request message over the receive limit is refused.
/// </summary>
public sealed class GrpcEndpointTests
{
    /// <summary>Generous: only a broken Watch waits this long (the checks are published every 2 s).</summary>
    private static readonly TimeSpan WatchCap = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Check_FollowsTheTaggedChecks()
    {
        // Arrange
        await using var host = await TestHost.StartAsync();
        var health = new HealthClient(host.Channel);
        async Task<(ServingStatus, ServingStatus, ServingStatus)> StatusesAsync() =>
            (await CheckAsync(health, string.Empty), await CheckAsync(health, Peer.Descriptor.FullName), await CheckAsync(health, HealthTags.LivenessService));

        // Act + Assert: all healthy; not ready; not live either; live again; all healthy.
        Assert.Equal((ServingStatus.Serving, ServingStatus.Serving, ServingStatus.Serving), await StatusesAsync());
        host.Ready.Healthy = false;
        Assert.Equal((ServingStatus.NotServing, ServingStatus.NotServing, ServingStatus.Serving), await StatusesAsync());
        host.Live.Healthy = false;
        Assert.Equal((ServingStatus.NotServing, ServingStatus.NotServing, ServingStatus.NotServing), await StatusesAsync());
        host.Ready.Healthy = true;
        Assert.Equal((ServingStatus.Serving, ServingStatus.Serving, ServingStatus.NotServing), await StatusesAsync());
        host.Live.Healthy = true;
        Assert.Equal((ServingStatus.Serving, ServingStatus.Serving, ServingStatus.Serving), await StatusesAsync());
    }

    [Fact]
    public async Task Check_UnknownService_NotFound()
    {
        await using var host = await TestHost.StartAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => CheckAsync(new HealthClient(host.Channel), "p2pmesh.v1.Nothing"));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("p2pmesh.v1.Peer")]
    public async Task Watch_ReadinessFlipsAndBack_EachReported(string service)
    {
        // Arrange
        await using var host = await TestHost.StartAsync();
        using var cap = new CancellationTokenSource(WatchCap);
        using var watch = new HealthClient(host.Channel).Watch(new HealthCheckRequest { Service = service }, cancellationToken: cap.Token);
        var updates = watch.ResponseStream;

        // Act + Assert: the current status first, then each change.
        Assert.Equal(ServingStatus.Serving, await NextAsync(updates, cap.Token));
        host.Ready.Healthy = false;
        Assert.Equal(ServingStatus.NotServing, await NextAsync(updates, cap.Token));
        host.Ready.Healthy = true;
        Assert.Equal(ServingStatus.Serving, await NextAsync(updates, cap.Token));
    }

    [Fact]
    public async Task Watch_Liveness_IgnoresReadinessButReportsLiveness()
    {
        await using var host = await TestHost.StartAsync();
        using var cap = new CancellationTokenSource(WatchCap);
        using var watch = new HealthClient(host.Channel).Watch(new HealthCheckRequest { Service = HealthTags.LivenessService }, cancellationToken: cap.Token);
        var updates = watch.ResponseStream;

        Assert.Equal(ServingStatus.Serving, await NextAsync(updates, cap.Token));
        host.Ready.Healthy = false;
        host.Live.Healthy = false;
        // The liveness service reports the live check's change (and nothing in between for the ready one: a stream
        // only sends changes of its own status).
        Assert.Equal(ServingStatus.NotServing, await NextAsync(updates, cap.Token));
    }

    [Fact]
    public async Task Reflection_ListsTheServedServicesHealthAndReflection()
    {
        await using var host = await TestHost.StartAsync();
        using var call = new ServerReflection.ServerReflectionClient(host.Channel).ServerReflectionInfo();

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = string.Empty });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext());

        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).Order(StringComparer.Ordinal);
        Assert.Equal(["grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection", "p2pmesh.v1.Peer"], services);
    }

    [Fact]
    public async Task Receive_MessageOverTheLimit_ResourceExhaustedWhileOneJustUnderIsAccepted()
    {
        // Arrange: two Upload parts' worth of data, one just under 4 MiB (with its framing), one just over.
        await using var host = await TestHost.StartAsync();
        var under = GrpcEndpointExtensions.MaxReceiveMessageSize - 16;
        var over = GrpcEndpointExtensions.MaxReceiveMessageSize + 1;

        // Act + Assert: the control is received whole...
        Assert.Equal((ulong)under, await UploadAsync(host, under));

        // ...the other refused before the handler sees it.
        var error = await Assert.ThrowsAsync<RpcException>(() => UploadAsync(host, over));
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    /// <summary>
    /// Uploads one part of <paramref name="size"/> bytes; the size the service received, or the call's status. The
    /// response is awaited while the part is still being sent: a service that refuses the message ends the call without
    /// reading the rest, and the client's write may then wait on flow control until the call is disposed. The deadline
    /// only bounds a broken server.
    /// </summary>
    private static async Task<ulong> UploadAsync(TestHost host, int size)
    {
        using var call = host.Peer.Upload(deadline: DateTime.UtcNow + WatchCap);
        var send = SendAsync(call.RequestStream, size);
        try
        {
            return (await call.ResponseAsync).Manifest.Size;
        }
        finally
        {
            call.Dispose();
            await send;
        }
    }

    private static async Task SendAsync(IClientStreamWriter<UploadPart> requests, int size)
    {
        try
        {
            await requests.WriteAsync(new UploadPart { Data = ByteString.CopyFrom(new byte[size]) });
            await requests.CompleteAsync();
        }
        catch (Exception ex) when (ex is RpcException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The service ended the call (or the call was disposed) while the part was being sent: the response says why.
        }
    }

    private static async Task<ServingStatus> CheckAsync(HealthClient health, string service) =>
        (await health.CheckAsync(new HealthCheckRequest { Service = service })).Status;

    private static async Task<ServingStatus> NextAsync(IAsyncStreamReader<HealthCheckResponse> updates, CancellationToken cancellationToken)
    {
        Assert.True(await updates.MoveNext(cancellationToken), "the Watch ended");
        return updates.Current.Status;
    }
}
