namespace P2PMesh.Grpc.Server.Internal;

/// <summary>Writes response messages of a streaming call to its HTTP/2 response body.</summary>
internal sealed class HttpContextStreamWriter<TResponse>(HttpContextServerCallContext context) : IServerStreamWriter<TResponse>
    where TResponse : Google.Protobuf.IMessage
{
    public Task WriteAsync(TResponse message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return context.WriteMessageAsync(message, cancellationToken);
    }
}
