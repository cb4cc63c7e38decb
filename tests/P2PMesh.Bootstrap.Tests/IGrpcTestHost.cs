using Grpc.Net.Client;

namespace P2PMesh.Bootstrap.Tests;

/// <summary>A service host started by a test, with a client channel to it; disposing it stops the host.</summary>
public interface IGrpcTestHost : IAsyncDisposable
{
    /// <summary>A plaintext HTTP/2 channel to the host, disposed with it.</summary>
    GrpcChannel Channel { get; }
}
