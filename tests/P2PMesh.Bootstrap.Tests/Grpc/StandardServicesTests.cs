using Google.Protobuf.Reflection;

namespace P2PMesh.Bootstrap.Tests.Grpc;

/// <summary>Health (kubelet probes) and reflection (grpcurl) on the Bootstrap: <see cref="StandardServicesContract"/>.</summary>
public sealed class StandardServicesTests : StandardServicesContract
{
    protected override ServiceDescriptor Service => V1.Bootstrap.Descriptor;

    protected override async Task<IGrpcTestHost> StartAsync() => await BootstrapHost.StartAsync();
}
