using Google.Protobuf.Reflection;
using Grpc.Reflection.V1;
using V1Alpha = Grpc.Reflection.V1Alpha;
using P2PMesh.Grpc.Tests.Infrastructure;

namespace P2PMesh.Grpc.Tests.Reflection;

/// <summary>Server reflection v1 and v1alpha (doc/server-reflection.md), as grpcurl uses it.</summary>
public sealed class ReflectionServiceTests(EchoServerFixture fixture) : IClassFixture<EchoServerFixture>
{
    private static readonly Method<ServerReflectionRequest, ServerReflectionResponse> V1Info =
        new(ReflectionReflection.Descriptor.Services[0], "ServerReflectionInfo");
    private static readonly Method<V1Alpha.ServerReflectionRequest, V1Alpha.ServerReflectionResponse> V1AlphaInfo =
        new(V1Alpha.ReflectionReflection.Descriptor.Services[0], "ServerReflectionInfo");

    [Fact]
    public async Task ListServices_NamesEveryMappedService()
    {
        var response = await AskAsync(new ServerReflectionRequest { ListServices = "*" });
        Assert.Equal(
            ["p2pmesh.testing.v1.Echo", "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"],
            response.ListServicesResponse.Service.Select(s => s.Name));
    }

    [Theory]
    [InlineData("p2pmesh.testing.v1.Echo")]
    [InlineData("p2pmesh.testing.v1.Echo.Unary")]
    [InlineData("p2pmesh.testing.v1.CallOutcome.State")]
    [InlineData("p2pmesh.testing.v1.EchoRequest")]
    public async Task FileContainingSymbol_FileAndTransitiveImports(string symbol)
    {
        var response = await AskAsync(new ServerReflectionRequest { FileContainingSymbol = symbol });
        var files = response.FileDescriptorResponse.FileDescriptorProto.Select(FileDescriptorProto.Parser.ParseFrom).ToList();
        Assert.Equal("p2pmesh/testing/v1/echo.proto", files[0].Name);
        Assert.Contains(files, f => f.Name == "google/protobuf/duration.proto");
        Assert.Equal("google/protobuf/duration.proto", Assert.Single(files[0].Dependency));
    }

    [Fact]
    public async Task FileByFilename_ReturnsTheFile()
    {
        var response = await AskAsync(new ServerReflectionRequest { FileByFilename = "grpc/health/v1/health.proto" });
        var file = FileDescriptorProto.Parser.ParseFrom(response.FileDescriptorResponse.FileDescriptorProto[0]);
        Assert.Equal("grpc.health.v1", file.Package);
        Assert.Equal(["Check", "Watch"], file.Service.Single().Method.Select(m => m.Name));
    }

    [Fact]
    public async Task UnknownSymbol_ErrorResponseAndStreamStaysUsable()
    {
        using var call = fixture.Channel.AsyncDuplexStreamingCall(V1Info);
        await using var responses = call.ResponseStream.GetAsyncEnumerator();

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = "no.such.Symbol" });
        Assert.True(await responses.MoveNextAsync());
        Assert.Equal((int)StatusCode.NotFound, responses.Current.ErrorResponse.ErrorCode);
        Assert.Equal("no.such.Symbol", responses.Current.OriginalRequest.FileContainingSymbol);

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = "grpc.health.v1.Health" });
        Assert.True(await responses.MoveNextAsync());
        Assert.Equal(ServerReflectionResponse.MessageResponseOneofCase.FileDescriptorResponse, responses.Current.MessageResponseCase);
        await call.RequestStream.CompleteAsync();
        Assert.False(await responses.MoveNextAsync());
    }

    [Fact]
    public async Task SameStream_ImportsSentOnce()
    {
        using var call = fixture.Channel.AsyncDuplexStreamingCall(V1Info);
        await using var responses = call.ResponseStream.GetAsyncEnumerator();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = "p2pmesh.testing.v1.Echo" });
        Assert.True(await responses.MoveNextAsync());
        Assert.Equal(2, responses.Current.FileDescriptorResponse.FileDescriptorProto.Count);
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = "p2pmesh.testing.v1.EchoReply" });
        Assert.True(await responses.MoveNextAsync());
        Assert.Single(responses.Current.FileDescriptorResponse.FileDescriptorProto);   // echo.proto again, not duration.proto
        await call.RequestStream.CompleteAsync();
    }

    [Fact]
    public async Task AllExtensionNumbersOfType_KnownTypeEmptyUnknownNotFound()
    {
        var known = await AskAsync(new ServerReflectionRequest { AllExtensionNumbersOfType = "p2pmesh.testing.v1.EchoRequest" });
        Assert.Equal("p2pmesh.testing.v1.EchoRequest", known.AllExtensionNumbersResponse.BaseTypeName);
        Assert.Empty(known.AllExtensionNumbersResponse.ExtensionNumber);
        var unknown = await AskAsync(new ServerReflectionRequest { AllExtensionNumbersOfType = "nope.Nope" });
        Assert.Equal((int)StatusCode.NotFound, unknown.ErrorResponse.ErrorCode);
    }

    [Fact]
    public async Task V1Alpha_ListAndFileFetch()
    {
        using var call = fixture.Channel.AsyncDuplexStreamingCall(V1AlphaInfo);
        await using var responses = call.ResponseStream.GetAsyncEnumerator();
        await call.RequestStream.WriteAsync(new V1Alpha.ServerReflectionRequest { ListServices = "" });
        Assert.True(await responses.MoveNextAsync());
        Assert.Contains(responses.Current.ListServicesResponse.Service, s => s.Name == "p2pmesh.testing.v1.Echo");

        await call.RequestStream.WriteAsync(new V1Alpha.ServerReflectionRequest { FileByFilename = "grpc/reflection/v1alpha/reflection.proto" });
        Assert.True(await responses.MoveNextAsync());
        var file = FileDescriptorProto.Parser.ParseFrom(responses.Current.FileDescriptorResponse.FileDescriptorProto[0]);
        Assert.Equal("grpc.reflection.v1alpha", file.Package);
        await call.RequestStream.CompleteAsync();
    }

    private async Task<ServerReflectionResponse> AskAsync(ServerReflectionRequest request)
    {
        using var call = fixture.Channel.AsyncDuplexStreamingCall(V1Info);
        await call.RequestStream.WriteAsync(request);
        await call.RequestStream.CompleteAsync();
        var responses = new List<ServerReflectionResponse>();
        await foreach (var response in call.ResponseStream)
        {
            responses.Add(response);
        }
        return Assert.Single(responses);
    }
}
