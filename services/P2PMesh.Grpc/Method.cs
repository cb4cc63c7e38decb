using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace P2PMesh.Grpc;

/// <summary>
/// A gRPC method, typed by its messages and taken from its protobuf <see cref="MethodDescriptor"/>:
/// the path (<c>/{package}.{Service}/{Method}</c>, PROTOCOL-HTTP2.md, Requests), the call kind and the
/// parsers all come from the .proto. Create one per method and keep it (e.g. in a static field).
/// </summary>
/// <typeparam name="TRequest">The request message type (protoc-generated).</typeparam>
/// <typeparam name="TResponse">The response message type (protoc-generated).</typeparam>
public sealed class Method<TRequest, TResponse>
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    /// <summary>Describes <paramref name="descriptor"/>.</summary>
    /// <exception cref="ArgumentException">The descriptor's message types are not <typeparamref name="TRequest"/> and <typeparamref name="TResponse"/>.</exception>
    public Method(MethodDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (descriptor.InputType.ClrType != typeof(TRequest) || descriptor.OutputType.ClrType != typeof(TResponse))
        {
            throw new ArgumentException(
                $"{descriptor.FullName} takes {descriptor.InputType.ClrType?.Name} and returns {descriptor.OutputType.ClrType?.Name}, " +
                $"not {typeof(TRequest).Name} and {typeof(TResponse).Name}.", nameof(descriptor));
        }
        Descriptor = descriptor;
        ServiceName = descriptor.Service.FullName;
        Name = descriptor.Name;
        FullName = $"/{ServiceName}/{Name}";
        SpanName = FullName[1..];
        Type = (descriptor.IsClientStreaming, descriptor.IsServerStreaming) switch
        {
            (false, false) => MethodType.Unary,
            (true, false) => MethodType.ClientStreaming,
            (false, true) => MethodType.ServerStreaming,
            (true, true) => MethodType.DuplexStreaming,
        };
        RequestParser = (MessageParser<TRequest>)descriptor.InputType.Parser;
        ResponseParser = (MessageParser<TResponse>)descriptor.OutputType.Parser;
    }

    /// <summary>Describes the method named <paramref name="methodName"/> of <paramref name="service"/>.</summary>
    /// <exception cref="ArgumentException">The service has no such method, or its types differ.</exception>
    public Method(ServiceDescriptor service, string methodName)
        : this(service?.FindMethodByName(methodName)
            ?? throw new ArgumentException($"Service {service?.FullName} has no method '{methodName}'.", nameof(methodName)))
    {
    }

    /// <summary>The method's descriptor.</summary>
    public MethodDescriptor Descriptor { get; }

    /// <summary>The call kind.</summary>
    public MethodType Type { get; }

    /// <summary>The service's full name, e.g. <c>p2pmesh.v1.Peer</c>.</summary>
    public string ServiceName { get; }

    /// <summary>The method's name, e.g. <c>Ping</c>.</summary>
    public string Name { get; }

    /// <summary>The HTTP/2 <c>:path</c>, e.g. <c>/p2pmesh.v1.Peer/Ping</c>.</summary>
    public string FullName { get; }

    /// <summary>The name of the method's client and server spans, <c>{rpc.service}/{rpc.method}</c>, e.g.
    /// <c>p2pmesh.v1.Peer/Ping</c> (see <see cref="GrpcTelemetry"/>): formatted once, not per call.</summary>
    internal string SpanName { get; }

    /// <summary>Parses requests.</summary>
    public MessageParser<TRequest> RequestParser { get; }

    /// <summary>Parses responses.</summary>
    public MessageParser<TResponse> ResponseParser { get; }

    /// <inheritdoc />
    public override string ToString() => FullName;
}
