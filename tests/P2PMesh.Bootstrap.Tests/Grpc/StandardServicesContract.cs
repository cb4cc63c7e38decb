using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Health.V1;
using GrpcHealth = Grpc.Health.V1.Health;
using Grpc.Net.Client;
using ReflectionV1 = Grpc.Reflection.V1;
using ReflectionV1Alpha = Grpc.Reflection.V1Alpha;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace P2PMesh.Bootstrap.Tests.Grpc;

/// <summary>
/// The standard services every gRPC host of the mesh maps beside its own (<c>MapDefaultEndpoints</c>):
/// <c>grpc.health.v1.Health</c> for the kubelet's probes (the overall name <c>""</c> and the served service's name for
/// readiness, <c>liveness</c> for liveness) and server reflection for grpcurl (<c>grpc.reflection.v1</c> and
/// <c>v1alpha</c>). Each host's tests derive from this with how to start the host and which service it serves; this
/// file is linked into every test project that has such a host.
/// </summary>
public abstract class StandardServicesContract
{
    /// <summary>How long a test waits for an answer before it fails.</summary>
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>The service the host serves, e.g. <c>p2pmesh.v1.Peer</c>.</summary>
    protected abstract ServiceDescriptor Service { get; }

    /// <summary>Starts the host, ready to serve.</summary>
    protected abstract Task<IGrpcTestHost> StartAsync();

    [Theory]
    [InlineData("")]
    [InlineData("served")]
    [InlineData("liveness")]
    public async Task HealthCheck_OverallServedServiceAndLiveness_Serving(string name)
    {
        await using var host = await StartAsync();

        var reply = await new GrpcHealth.HealthClient(host.Channel).CheckAsync(
            new HealthCheckRequest { Service = name == "served" ? Service.FullName : name }, deadline: DateTime.UtcNow + Patience);

        Assert.Equal(ServingStatus.Serving, reply.Status);
    }

    [Fact]
    public async Task HealthCheck_UnknownService_NotFound()
    {
        await using var host = await StartAsync();

        var error = await Assert.ThrowsAsync<RpcException>(async () => await new GrpcHealth.HealthClient(host.Channel).CheckAsync(
            new HealthCheckRequest { Service = "p2pmesh.v1.NoSuchService" }, deadline: DateTime.UtcNow + Patience));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("served")]
    public async Task HealthWatch_ReadyHost_SendsServing(string name)
    {
        await using var host = await StartAsync();
        using var patience = new CancellationTokenSource(Patience);
        using var watch = new GrpcHealth.HealthClient(host.Channel).Watch(
            new HealthCheckRequest { Service = name == "served" ? Service.FullName : name }, cancellationToken: patience.Token);

        var statuses = await WatchUntilAsync(watch.ResponseStream, ServingStatus.Serving, patience.Token);

        // Before the first health report is published the service is not known yet; it is never NOT_SERVING.
        Assert.Equal(ServingStatus.Serving, statuses[^1]);
        Assert.All(statuses[..^1], s => Assert.Equal(ServingStatus.ServiceUnknown, s));
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v1alpha")]
    public async Task ServerReflection_ListServices_ServedServiceHealthAndReflection(string version)
    {
        await using var host = await StartAsync();

        var services = await ListServicesAsync(host.Channel, version);

        Assert.Contains(Service.FullName, services);
        Assert.Contains(GrpcHealth.Descriptor.FullName, services);
        Assert.Contains(version == "v1" ? ReflectionV1.ServerReflection.Descriptor.FullName : ReflectionV1Alpha.ServerReflection.Descriptor.FullName, services);
        Assert.Equal(services.Count, services.Distinct().Count());
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v1alpha")]
    public async Task ServerReflection_FileContainingSymbol_DescribesServiceWithItsImports(string version)
    {
        await using var host = await StartAsync();
        var method = Service.Methods[0];

        var files = await FilesContainingSymbolAsync(host.Channel, version, $"{Service.FullName}.{method.Name}");

        // The file that declares the service first, then what it imports (what grpcurl needs to describe it).
        Assert.Equal(Service.File.Name, files[0].Name);
        Assert.Subset(files.Select(f => f.Name).ToHashSet(), Service.File.Dependencies.Select(d => d.Name).ToHashSet());
        var described = Assert.Single(files[0].Service, s => s.Name == Service.Name);
        Assert.Equal(Service.Methods.Select(m => m.Name), described.Method.Select(m => m.Name));
        Assert.Equal($".{method.InputType.FullName}", described.Method[0].InputType);
    }

    /// <summary>Reads <paramref name="responses"/> until <paramref name="wanted"/> arrives; returns every status read.</summary>
    internal static async Task<List<ServingStatus>> WatchUntilAsync(
        IAsyncStreamReader<HealthCheckResponse> responses, ServingStatus wanted, CancellationToken cancellationToken)
    {
        var statuses = new List<ServingStatus>();
        while (statuses.Count == 0 || statuses[^1] != wanted)
        {
            Assert.True(await responses.MoveNext(cancellationToken), $"the watch ended before reporting {wanted}");
            statuses.Add(responses.Current.Status);
        }
        return statuses;
    }

    private static Task<List<string>> ListServicesAsync(GrpcChannel channel, string version) => version == "v1"
        ? AskAsync(new ReflectionV1.ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo(deadline: DateTime.UtcNow + Patience),
            new ReflectionV1.ServerReflectionRequest { ListServices = string.Empty }, r => r.ListServicesResponse.Service.Select(s => s.Name))
        : AskAsync(new ReflectionV1Alpha.ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo(deadline: DateTime.UtcNow + Patience),
            new ReflectionV1Alpha.ServerReflectionRequest { ListServices = string.Empty }, r => r.ListServicesResponse.Service.Select(s => s.Name));

    private static Task<List<FileDescriptorProto>> FilesContainingSymbolAsync(GrpcChannel channel, string version, string symbol) => version == "v1"
        ? AskAsync(new ReflectionV1.ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo(deadline: DateTime.UtcNow + Patience),
            new ReflectionV1.ServerReflectionRequest { FileContainingSymbol = symbol },
            r => r.FileDescriptorResponse.FileDescriptorProto.Select(FileDescriptorProto.Parser.ParseFrom))
        : AskAsync(new ReflectionV1Alpha.ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo(deadline: DateTime.UtcNow + Patience),
            new ReflectionV1Alpha.ServerReflectionRequest { FileContainingSymbol = symbol },
            r => r.FileDescriptorResponse.FileDescriptorProto.Select(FileDescriptorProto.Parser.ParseFrom));

    /// <summary>Sends one reflection request and collects what <paramref name="select"/> takes from every response.</summary>
    private static async Task<List<T>> AskAsync<TRequest, TResponse, T>(
        AsyncDuplexStreamingCall<TRequest, TResponse> call, TRequest request, Func<TResponse, IEnumerable<T>> select)
    {
        using (call)
        {
            await call.RequestStream.WriteAsync(request);
            await call.RequestStream.CompleteAsync();
            var results = new List<T>();
            await foreach (var response in call.ResponseStream.ReadAllAsync())
            {
                results.AddRange(select(response));
            }
            return results;
        }
    }
}
