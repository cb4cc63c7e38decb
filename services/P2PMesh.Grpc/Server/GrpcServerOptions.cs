namespace P2PMesh.Grpc;

/// <summary>Options of the gRPC server, bound by <see cref="GrpcServiceCollectionExtensions.AddMeshGrpc"/>.</summary>
public sealed class GrpcServerOptions
{
    /// <summary>
    /// The largest request message accepted, in bytes, after decompression. A larger message ends the
    /// call with <see cref="StatusCode.ResourceExhausted"/>. A <c>null</c> value removes the limit.
    /// Defaults to 4,194,304 (4 MiB).
    /// </summary>
    public int? MaxReceiveMessageSize { get; set; } = Internal.GrpcProtocolConstants.DefaultMaxReceiveMessageSize;

    /// <summary>
    /// The largest response message sent, in bytes; a larger one ends the call with
    /// <see cref="StatusCode.ResourceExhausted"/>. A <c>null</c> value (the default) removes the limit.
    /// </summary>
    public int? MaxSendMessageSize { get; set; }

    /// <summary>
    /// Whether an exception thrown by a handler sends its type and message to the client in
    /// <c>grpc-message</c>. Defaults to <c>false</c> (the client sees "Exception was thrown by handler.").
    /// </summary>
    public bool EnableDetailedErrors { get; set; }
}
