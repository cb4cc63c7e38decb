using Google.Protobuf.Reflection;

namespace P2PMesh.Grpc;

/// <summary>
/// A class that implements a gRPC service declared in a .proto file. The server binds one HTTP/2
/// route per method of <see cref="Descriptor"/> (path <c>/{package}.{Service}/{Method}</c>,
/// PROTOCOL-HTTP2.md, Requests) to the public instance method of the same name, whose shape follows
/// the call kind:
/// <list type="bullet">
/// <item>unary: <c>Task&lt;TResponse&gt; M(TRequest request, ServerCallContext context)</c></item>
/// <item>server streaming: <c>Task M(TRequest request, IServerStreamWriter&lt;TResponse&gt; responses, ServerCallContext context)</c></item>
/// <item>client streaming: <c>Task&lt;TResponse&gt; M(IAsyncEnumerable&lt;TRequest&gt; requests, ServerCallContext context)</c></item>
/// <item>bidirectional: <c>Task M(IAsyncEnumerable&lt;TRequest&gt; requests, IServerStreamWriter&lt;TResponse&gt; responses, ServerCallContext context)</c></item>
/// </list>
/// Request and response types come from the descriptor (protoc-generated message classes). A method
/// of the descriptor with no matching class method answers <see cref="StatusCode.Unimplemented"/>; a
/// class method with the right name but the wrong shape fails at startup.
/// </summary>
public interface IGrpcService
{
    /// <summary>The service this class implements, e.g. <c>PeerReflection.Descriptor.Services[0]</c>.</summary>
    static abstract ServiceDescriptor Descriptor { get; }
}
