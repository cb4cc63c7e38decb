using P2PMesh.Grpc.Tests.Infrastructure;
using P2PMesh.Testing.Contract;

namespace P2PMesh.Grpc.Tests.Server;

/// <summary>The Echo contract: this client against this server.</summary>
public sealed class EchoContractOnDotnetServerTests(EchoServerFixture fixture)
    : EchoContractTests(fixture), IClassFixture<EchoServerFixture>;
