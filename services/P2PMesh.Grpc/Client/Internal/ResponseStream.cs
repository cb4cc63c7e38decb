using System.Runtime.CompilerServices;

namespace P2PMesh.Grpc.Client.Internal;

/// <summary>The response messages of a streaming call as an async sequence (enumerate it once).</summary>
internal static class ResponseStream
{
    public static async IAsyncEnumerable<TResponse> ReadAllAsync<TResponse>(
        IClientCall<TResponse> call, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where TResponse : class
    {
        while (await call.ReadMessageAsync(cancellationToken).ConfigureAwait(false) is { } message)
        {
            yield return message;
        }
    }
}
