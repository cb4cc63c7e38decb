using Google.Protobuf;
using P2PMesh.Grpc.Client.Internal;

namespace P2PMesh.Grpc;

/// <summary>
/// A client for one gRPC server address, over HTTP/2 with <see cref="SocketsHttpHandler"/>
/// (PROTOCOL-HTTP2.md). <c>http://</c> addresses use HTTP/2 prior knowledge (h2c), as gRPC servers
/// expect; <c>https://</c> negotiate HTTP/2 by ALPN. Thread-safe; create one per server and reuse it:
/// calls are multiplexed as HTTP/2 streams over pooled connections.
/// </summary>
public sealed class GrpcChannel : IDisposable
{
    private GrpcChannel(Uri address, GrpcChannelOptions options)
    {
        Address = address;
        Options = options;
        var handler = options.HttpHandler ?? new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            KeepAlivePingDelay = TimeSpan.FromSeconds(60),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        Invoker = new HttpMessageInvoker(handler, disposeHandler: options.HttpHandler is null || options.DisposeHttpHandler);
    }

    /// <summary>The server's base address, e.g. <c>http://127.0.0.1:5000</c>.</summary>
    public Uri Address { get; }

    internal GrpcChannelOptions Options { get; }

    internal HttpMessageInvoker Invoker { get; }

    /// <summary>Creates a channel to <paramref name="address"/> (<c>http://host:port</c> or <c>https://host:port</c>).</summary>
    /// <exception cref="ArgumentException">The address is not an absolute http or https URI.</exception>
    public static GrpcChannel ForAddress(string address, GrpcChannelOptions? options = null) =>
        ForAddress(new Uri(address, UriKind.Absolute), options);

    /// <inheritdoc cref="ForAddress(string, GrpcChannelOptions?)"/>
    public static GrpcChannel ForAddress(Uri address, GrpcChannelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!address.IsAbsoluteUri || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"Address '{address}' must be an absolute http:// or https:// URI.", nameof(address));
        }
        return new GrpcChannel(address, options ?? new GrpcChannelOptions());
    }

    /// <summary>Starts a unary call.</summary>
    /// <exception cref="ArgumentException"><paramref name="method"/> is not unary.</exception>
    public AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        var call = CreateCall(method, MethodType.Unary, options);
        call.Start(request ?? throw new ArgumentNullException(nameof(request)));
        return new AsyncUnaryCall<TResponse>(call);
    }

    /// <summary>Starts a server-streaming call.</summary>
    /// <exception cref="ArgumentException"><paramref name="method"/> is not server streaming.</exception>
    public AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        var call = CreateCall(method, MethodType.ServerStreaming, options);
        call.Start(request ?? throw new ArgumentNullException(nameof(request)));
        return new AsyncServerStreamingCall<TResponse>(call);
    }

    /// <summary>Starts a client-streaming call.</summary>
    /// <exception cref="ArgumentException"><paramref name="method"/> is not client streaming.</exception>
    public AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        var call = CreateCall(method, MethodType.ClientStreaming, options);
        call.StartStreaming();
        return new AsyncClientStreamingCall<TRequest, TResponse>(call, call.RequestStream!);
    }

    /// <summary>Starts a bidirectional streaming call.</summary>
    /// <exception cref="ArgumentException"><paramref name="method"/> is not bidirectional.</exception>
    public AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        var call = CreateCall(method, MethodType.DuplexStreaming, options);
        call.StartStreaming();
        return new AsyncDuplexStreamingCall<TRequest, TResponse>(call, call.RequestStream!);
    }

    /// <summary>Closes the channel's connections (when it owns its handler).</summary>
    public void Dispose() => Invoker.Dispose();

    private GrpcCall<TRequest, TResponse> CreateCall<TRequest, TResponse>(Method<TRequest, TResponse> method, MethodType expected, CallOptions options)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(method);
        if (method.Type != expected)
        {
            throw new ArgumentException($"{method.FullName} is a {method.Type} method, not {expected}.", nameof(method));
        }
        return new GrpcCall<TRequest, TResponse>(this, method, options);
    }
}
