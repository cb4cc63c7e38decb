namespace P2PMesh.Grpc;

/// <summary>The four gRPC call kinds, from the <c>stream</c> keywords of an rpc in the .proto.</summary>
public enum MethodType
{
    /// <summary>One request, one response.</summary>
    Unary,
    /// <summary>A stream of requests, one response.</summary>
    ClientStreaming,
    /// <summary>One request, a stream of responses.</summary>
    ServerStreaming,
    /// <summary>A stream each way, independent of each other.</summary>
    DuplexStreaming,
}
