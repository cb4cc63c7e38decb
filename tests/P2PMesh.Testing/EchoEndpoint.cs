using P2PMesh.ServiceDefaults;

namespace P2PMesh.Testing;

/// <summary>Where <see cref="EchoGrpcHost"/> listens: a free port on 127.0.0.1.</summary>
internal sealed class EchoEndpoint : IGrpcEndpointOptions
{
    /// <inheritdoc />
    public string ListenAddress => "127.0.0.1";

    /// <inheritdoc />
    public int GrpcPort => 0;
}
