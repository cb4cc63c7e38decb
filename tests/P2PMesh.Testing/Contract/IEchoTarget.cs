using Grpc.Core;

namespace P2PMesh.Testing.Contract;

/// <summary>A running Echo server (any implementation) and a P2PMesh.Grpc channel to it.</summary>
public interface IEchoTarget
{
    Uri Address { get; }

    GrpcChannel Channel { get; }
}
