using Google.Protobuf.Reflection;
using P2PMesh.V1;

namespace P2PMesh.Bootstrap.Tests.Grpc;

/// <summary>Health and reflection name the directory the Bootstrap also serves: <see cref="StandardServicesContract"/> for <c>p2pmesh.v1.PeerDirectory</c>.</summary>
public sealed class DirectoryStandardServicesTests : StandardServicesContract
{
    protected override ServiceDescriptor Service => PeerDirectory.Descriptor;

    protected override async Task<IGrpcTestHost> StartAsync() => await BootstrapHost.StartAsync();
}
