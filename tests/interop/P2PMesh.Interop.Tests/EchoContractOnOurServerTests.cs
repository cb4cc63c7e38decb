using P2PMesh.Testing.Contract;

namespace P2PMesh.Interop.Tests;

/// <summary>
/// The Echo contract against our server as the product configures grpc-dotnet (ServiceDefaults'
/// <c>AddGrpcEndpoint</c>: Kestrel HTTP/2 plaintext, the 4 MiB receive limit, health from health checks,
/// reflection): limits, deadlines, metadata and errors behave as they do with grpc-js
/// (<see cref="EchoContractOnGrpcJsServerTests"/>).
/// </summary>
public sealed class EchoContractOnOurServerTests(EchoGrpcHostFixture fixture)
    : EchoContractTests(fixture), IClassFixture<EchoGrpcHostFixture>;
