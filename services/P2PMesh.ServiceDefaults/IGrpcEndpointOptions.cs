namespace P2PMesh.ServiceDefaults;

/// <summary>Where a service's plaintext HTTP/2 gRPC endpoint listens.</summary>
public interface IGrpcEndpointOptions
{
    /// <summary>The IP address to bind, e.g. <c>0.0.0.0</c> (all IPv4 interfaces) or <c>127.0.0.1</c>.</summary>
    string ListenAddress { get; }

    /// <summary>The TCP port, 0 for a free one.</summary>
    int GrpcPort { get; }
}
