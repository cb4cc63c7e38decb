namespace P2PMesh.Grpc;

/// <summary>
/// A call that ended with a non-OK <see cref="Status"/>. Thrown by the client when a call fails and
/// thrown by server handlers to end a call with a given status and trailers.
/// </summary>
public sealed class RpcException : Exception
{
    /// <summary>Creates an exception for <paramref name="status"/> with no trailers.</summary>
    public RpcException(Status status)
        : this(status, new Metadata())
    {
    }

    /// <summary>Creates an exception for <paramref name="status"/> with the given trailers.</summary>
    public RpcException(Status status, Metadata trailers)
        : this(status, trailers, null)
    {
    }

    /// <summary>Creates an exception for <paramref name="status"/> caused by <paramref name="innerException"/>.</summary>
    public RpcException(Status status, Metadata trailers, Exception? innerException)
        : base($"Status(StatusCode=\"{status.StatusCode}\", Detail=\"{status.Detail}\")", innerException)
    {
        ArgumentNullException.ThrowIfNull(trailers);
        Status = status;
        Trailers = trailers;
    }

    /// <summary>The status the call ended with.</summary>
    public Status Status { get; }

    /// <summary>Shortcut for <c>Status.StatusCode</c>.</summary>
    public StatusCode StatusCode => Status.StatusCode;

    /// <summary>The trailers the call ended with (empty when none were received).</summary>
    public Metadata Trailers { get; }
}
