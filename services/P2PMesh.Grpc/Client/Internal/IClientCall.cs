namespace P2PMesh.Grpc.Client.Internal;

/// <summary>The response side of a client call, as the public call objects see it.</summary>
internal interface IClientCall<TResponse> : IDisposable
{
    Task<Metadata> GetResponseHeadersAsync();

    /// <summary>The next response message, or <c>null</c> after the last one (status OK).</summary>
    /// <exception cref="RpcException">The call ended with a non-OK status.</exception>
    ValueTask<TResponse?> ReadMessageAsync(CancellationToken cancellationToken);

    /// <summary>The single response of a unary or client-streaming call.</summary>
    Task<TResponse> ReadSingleResponseAsync();

    Status GetStatus();

    Metadata GetTrailers();
}
