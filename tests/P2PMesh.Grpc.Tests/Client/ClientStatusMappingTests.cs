using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using P2PMesh.Grpc.Tests.Infrastructure;
using P2PMesh.Testing;
using P2PMesh.Testing.V1;

namespace P2PMesh.Grpc.Tests.Client;

/// <summary>
/// What the client makes of servers that answer badly: HTTP errors (doc/http-grpc-status-mapping.md),
/// RST_STREAM (PROTOCOL-HTTP2.md, Errors), wrong content types, missing status, dead ports.
/// </summary>
public sealed class ClientStatusMappingTests
{
    [Theory]
    [InlineData(400, StatusCode.Internal)]
    [InlineData(401, StatusCode.Unauthenticated)]
    [InlineData(403, StatusCode.PermissionDenied)]
    [InlineData(404, StatusCode.Unimplemented)]
    [InlineData(429, StatusCode.Unavailable)]
    [InlineData(502, StatusCode.Unavailable)]
    [InlineData(503, StatusCode.Unavailable)]
    [InlineData(504, StatusCode.Unavailable)]
    [InlineData(500, StatusCode.Unknown)]
    public async Task HttpStatus_MapsToGrpcStatus(int httpStatus, StatusCode expected)
    {
        await using var server = await RawHttp2Server.StartAsync(context =>
        {
            context.Response.StatusCode = httpStatus;
            return Task.CompletedTask;
        });
        var ex = await CallAsync(server.Address);
        Assert.Equal(expected, ex.StatusCode);
        Assert.Contains(httpStatus.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Status.Detail);
    }

    [Theory]
    [InlineData(0x8, StatusCode.Cancelled)]            // CANCEL
    [InlineData(0xb, StatusCode.ResourceExhausted)]    // ENHANCE_YOUR_CALM
    [InlineData(0xc, StatusCode.PermissionDenied)]     // INADEQUATE_SECURITY
    [InlineData(0x2, StatusCode.Internal)]             // INTERNAL_ERROR
    [InlineData(0x1, StatusCode.Internal)]             // PROTOCOL_ERROR
    public async Task RstStream_MapsToGrpcStatus(int errorCode, StatusCode expected)
    {
        await using var server = await RawHttp2Server.StartAsync(async context =>
        {
            context.Response.ContentType = "application/grpc";
            await context.Response.Body.FlushAsync();   // headers out, then reset the stream
            context.Features.Get<IHttpResetFeature>()!.Reset(errorCode);
        });
        var ex = await CallAsync(server.Address);
        Assert.Equal(expected, ex.StatusCode);
    }

    [Fact]
    public async Task WrongContentType_Unknown()
    {
        await using var server = await RawHttp2Server.StartAsync(context =>
        {
            context.Response.ContentType = "text/html";
            return context.Response.WriteAsync("<html/>");
        });
        var ex = await CallAsync(server.Address);
        Assert.Equal(StatusCode.Unknown, ex.StatusCode);
        Assert.Contains("content-type", ex.Status.Detail);
    }

    [Fact]
    public async Task MissingGrpcStatus_Unknown()
    {
        await using var server = await RawHttp2Server.StartAsync(context =>
        {
            context.Response.ContentType = "application/grpc";
            return Task.CompletedTask;
        });
        var ex = await CallAsync(server.Address);
        Assert.Equal(StatusCode.Unknown, ex.StatusCode);
    }

    [Fact]
    public async Task OkStatusWithoutMessage_InternalForUnary()
    {
        await using var server = await RawHttp2Server.StartAsync(async context =>
        {
            context.Response.ContentType = "application/grpc";
            await context.Response.Body.FlushAsync();
            context.Response.AppendTrailer("grpc-status", "0");
        });
        var ex = await CallAsync(server.Address);
        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    [Fact]
    public async Task NothingListening_Unavailable()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));   // reserved but never listening
        var port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        var ex = await CallAsync(new Uri($"http://127.0.0.1:{port}"));
        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
    }

    [Fact]
    public async Task ResponseOverClientLimit_ResourceExhausted()
    {
        await using var host = await EchoGrpcHost.StartAsync();
        using var channel = GrpcChannel.ForAddress(host.Address, new GrpcChannelOptions { MaxReceiveMessageSize = 1000 });
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            await channel.AsyncUnaryCall(EchoMethods.Unary, new EchoRequest { ReplySize = 2000 }));
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task RequestOverClientSendLimit_ResourceExhaustedWithoutSending()
    {
        var requests = 0;
        await using var server = await RawHttp2Server.StartAsync(context =>
        {
            Interlocked.Increment(ref requests);
            return Task.CompletedTask;
        });
        using var channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { MaxSendMessageSize = 10 });
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            await channel.AsyncUnaryCall(EchoMethods.Unary, new EchoRequest { Message = "more than ten bytes" }));
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Equal(0, requests);
    }

    private static async Task<RpcException> CallAsync(Uri address)
    {
        using var channel = GrpcChannel.ForAddress(address);
        return await Assert.ThrowsAsync<RpcException>(async () =>
            await channel.AsyncUnaryCall(EchoMethods.Unary, new EchoRequest(), new CallOptions().WithTimeout(TimeSpan.FromSeconds(20))));
    }
}
