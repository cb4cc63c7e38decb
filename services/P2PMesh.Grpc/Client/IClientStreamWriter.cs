namespace P2PMesh.Grpc;

/// <summary>
/// Writes the request stream of a client-streaming or bidirectional call. Thread-safe; messages are
/// sent whole, in the order the writes complete.
/// </summary>
/// <typeparam name="T">The request message type.</typeparam>
public interface IClientStreamWriter<in T>
{
    /// <summary>Sends one message and flushes it.</summary>
    /// <exception cref="RpcException">The call has already ended; its status is attached.</exception>
    /// <exception cref="InvalidOperationException"><see cref="CompleteAsync"/> was already called.</exception>
    Task WriteAsync(T message, CancellationToken cancellationToken = default);

    /// <summary>Half-closes the call: no more requests (END_STREAM). Idempotent.</summary>
    Task CompleteAsync();
}
