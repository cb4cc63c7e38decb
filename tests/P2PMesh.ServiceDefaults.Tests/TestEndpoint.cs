namespace P2PMesh.ServiceDefaults.Tests;

/// <summary>A gRPC endpoint on 127.0.0.1 and a free port.</summary>
public sealed record TestEndpoint : IGrpcEndpointOptions
{
    public string ListenAddress => "127.0.0.1";

    public int GrpcPort => 0;
}
