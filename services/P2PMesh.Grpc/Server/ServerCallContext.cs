using Microsoft.AspNetCore.Http;

namespace P2PMesh.Grpc;

/// <summary>
/// What a server handler knows about its call: the method, the peer, the deadline, the request
/// metadata, and the means to send response headers and trailers (PROTOCOL-HTTP2.md, Requests and
/// Responses).
/// </summary>
public abstract class ServerCallContext
{
    /// <summary>The method's path, <c>/{package}.{Service}/{Method}</c>.</summary>
    public abstract string Method { get; }

    /// <summary>The caller's address, as gRPC names it: <c>ipv4:127.0.0.1:5000</c> or <c>ipv6:[::1]:5000</c>.</summary>
    public abstract string Peer { get; }

    /// <summary>
    /// When the call must end (UTC), from the request's <c>grpc-timeout</c>; <see cref="DateTime.MaxValue"/>
    /// when the caller set none. <see cref="CancellationToken"/> fires at this instant.
    /// </summary>
    public abstract DateTime Deadline { get; }

    /// <summary>The request's custom metadata (reserved <c>grpc-*</c> and HTTP headers excluded).</summary>
    public abstract Metadata RequestHeaders { get; }

    /// <summary>Trailers sent with the status when the call ends.</summary>
    public abstract Metadata ResponseTrailers { get; }

    /// <summary>Fires when the client cancels the call, the connection drops, or the deadline passes.</summary>
    public abstract CancellationToken CancellationToken { get; }

    /// <summary>
    /// The status to end the call with when the handler returns normally (default OK). Throwing
    /// <see cref="RpcException"/> sets it too.
    /// </summary>
    public Status Status { get; set; } = Status.DefaultSuccess;

    /// <summary>The underlying ASP.NET Core request.</summary>
    public abstract HttpContext HttpContext { get; }

    /// <summary>
    /// Sends the response headers now, with <paramref name="responseHeaders"/> added. Optional: headers
    /// are otherwise sent with the first message. May be called once, before any message.
    /// </summary>
    /// <exception cref="InvalidOperationException">Headers were already sent.</exception>
    public abstract Task WriteResponseHeadersAsync(Metadata responseHeaders);
}
