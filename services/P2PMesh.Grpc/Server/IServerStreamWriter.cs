namespace P2PMesh.Grpc;

/// <summary>
/// Writes a server-streaming or bidirectional call's responses. Thread-safe: concurrent writers
/// (e.g. events relayed from several upstream calls) are serialized, each message sent whole.
/// </summary>
/// <typeparam name="T">The response message type.</typeparam>
public interface IServerStreamWriter<in T>
{
    /// <summary>Sends one message and flushes it to the transport.</summary>
    /// <exception cref="InvalidOperationException">The call has already ended (e.g. its deadline passed).</exception>
    /// <exception cref="OperationCanceledException">The call or <paramref name="cancellationToken"/> was cancelled.</exception>
    Task WriteAsync(T message, CancellationToken cancellationToken = default);
}
