using P2PMesh.ServiceDefaults;

namespace P2PMesh.PServer.Tests.Transfers.Download;

/// <summary>A gRPC endpoint on 127.0.0.1 and a free port.</summary>
public sealed class LoopbackEndpoint : IGrpcEndpointOptions
{
    public string ListenAddress => "127.0.0.1";

    public int GrpcPort => 0;
}
