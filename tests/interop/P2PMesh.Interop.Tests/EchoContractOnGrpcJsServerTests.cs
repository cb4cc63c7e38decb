using P2PMesh.Testing.Contract;

namespace P2PMesh.Interop.Tests;

/// <summary>
/// The Echo contract (the same assertions <see cref="EchoContractOnOurServerTests"/> runs against our server): our
/// grpc-dotnet client against grpc-js, the reference for what a gRPC server does on the wire.
/// </summary>
public sealed class EchoContractOnGrpcJsServerTests(GrpcJsServerFixture fixture)
    : EchoContractTests(fixture), IClassFixture<GrpcJsServerFixture>;
