using P2PMesh.Bootstrap.Tests;
using P2PMesh.Bootstrap.Tests.Grpc;
using P2PMesh.V1;

namespace P2PMesh.PServer.Tests.Grpc;

/// <summary>
/// Health (kubelet probes) and reflection (grpcurl) on a PServer: <see cref="StandardServicesContract"/>.
/// </summary>
public sealed class StandardServicesTests : StandardServicesContract
{
    protected override Google.Protobuf.Reflection.ServiceDescriptor Service => Peer.Descriptor;

    protected override async Task<IGrpcTestHost> StartAsync() => await PServerHost.StartAsync();
}
