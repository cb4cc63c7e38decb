using Grpc.Core;
using P2PMesh.Testing.V1;

namespace P2PMesh.Testing;

/// <summary>Client handles for the Echo service's methods, from its descriptor.</summary>
public static class EchoMethods
{
    public static readonly Method<EchoRequest, EchoReply> Unary = new(EchoService.Descriptor, "Unary");
    public static readonly Method<EchoRequest, EchoReply> ServerStream = new(EchoService.Descriptor, "ServerStream");
    public static readonly Method<EchoRequest, EchoReply> ClientStream = new(EchoService.Descriptor, "ClientStream");
    public static readonly Method<EchoRequest, EchoReply> Duplex = new(EchoService.Descriptor, "Duplex");
    public static readonly Method<CallOutcomeRequest, CallOutcome> GetCallOutcome = new(EchoService.Descriptor, "GetCallOutcome");
    public static readonly Method<EchoRequest, EchoReply> Unimplemented = new(EchoService.Descriptor, "Unimplemented");
    public static readonly Method<EchoRequest, EchoReply> UnregisteredService =
        new(EchoReflection.Descriptor.FindTypeByName<Google.Protobuf.Reflection.ServiceDescriptor>("UnregisteredService"), "Unimplemented");
}
