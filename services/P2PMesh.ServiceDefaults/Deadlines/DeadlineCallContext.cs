using Grpc.Core;

namespace P2PMesh.ServiceDefaults.Deadlines;

/// <summary>
/// The <see cref="ServerCallContext"/> a handler sees under <see cref="CallDeadlineInterceptor"/>: the call's own
/// context in every respect but <see cref="ServerCallContext.Deadline"/> (the one <c>grpc-timeout</c> named, see
/// <see cref="GrpcTimeout"/>) and <see cref="ServerCallContext.CancellationToken"/>, which also fires at that deadline.
/// </summary>
internal sealed class DeadlineCallContext(ServerCallContext inner, DateTime deadline, CancellationToken cancellationToken) : ServerCallContext
{
    /// <inheritdoc />
    protected override string MethodCore => inner.Method;

    /// <inheritdoc />
    protected override string HostCore => inner.Host;

    /// <inheritdoc />
    protected override string PeerCore => inner.Peer;

    /// <inheritdoc />
    protected override DateTime DeadlineCore => deadline;

    /// <inheritdoc />
    protected override Metadata RequestHeadersCore => inner.RequestHeaders;

    /// <inheritdoc />
    protected override CancellationToken CancellationTokenCore => cancellationToken;

    /// <inheritdoc />
    protected override Metadata ResponseTrailersCore => inner.ResponseTrailers;

    /// <inheritdoc />
    protected override Status StatusCore
    {
        get => inner.Status;
        set => inner.Status = value;
    }

    /// <inheritdoc />
    protected override WriteOptions? WriteOptionsCore
    {
        get => inner.WriteOptions;
        set => inner.WriteOptions = value;
    }

    /// <inheritdoc />
    protected override AuthContext AuthContextCore => inner.AuthContext;

    /// <inheritdoc />
    protected override IDictionary<object, object> UserStateCore => inner.UserState;

    /// <inheritdoc />
    protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) =>
        inner.CreatePropagationToken(options);

    /// <inheritdoc />
    protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => inner.WriteResponseHeadersAsync(responseHeaders);
}
