using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace P2PMesh.Grpc;

/// <summary>Kestrel endpoints for gRPC.</summary>
public static class GrpcKestrelExtensions
{
    /// <summary>
    /// Listens for plaintext gRPC on <paramref name="address"/>:<paramref name="port"/> (0 picks a free
    /// port). The endpoint is HTTP/2 only: without TLS there is no ALPN to choose the protocol, so
    /// clients use HTTP/2 prior knowledge (h2c), as grpc-js, grpcurl <c>-plaintext</c> and the kubelet
    /// do; a plaintext <c>Http1AndHttp2</c> endpoint would treat them as HTTP/1.1 and cannot serve
    /// gRPC. Put REST on its own port.
    /// </summary>
    public static KestrelServerOptions ListenGrpcPlaintext(this KestrelServerOptions options, IPAddress address, int port)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Listen(address, port, listen => listen.Protocols = HttpProtocols.Http2);
        return options;
    }
}
