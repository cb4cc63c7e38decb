using Grpc.Net.Client;

namespace P2PMesh.Testing.Contract;

/// <summary>A running Echo server (any implementation) and a grpc-dotnet channel to it.</summary>
public interface IEchoTarget
{
    /// <summary>The server's address, <c>http://127.0.0.1:PORT</c>.</summary>
    Uri Address { get; }

    /// <summary>One channel to the server, shared by the tests of a class.</summary>
    GrpcChannel Channel { get; }
}
