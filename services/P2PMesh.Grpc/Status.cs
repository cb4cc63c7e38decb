namespace P2PMesh.Grpc;

/// <summary>
/// The outcome of a call: a <see cref="StatusCode"/> and a human-readable detail, carried in the
/// <c>grpc-status</c> and percent-encoded <c>grpc-message</c> trailers (PROTOCOL-HTTP2.md, Responses).
/// </summary>
/// <param name="StatusCode">The status code.</param>
/// <param name="Detail">The message for people; empty when there is none. Any Unicode text.</param>
public readonly record struct Status(StatusCode StatusCode, string Detail)
{
    /// <summary>The successful status, <see cref="StatusCode.OK"/> with no detail.</summary>
    public static readonly Status DefaultSuccess = new(StatusCode.OK, string.Empty);

    /// <inheritdoc />
    public override string ToString() => $"Status(StatusCode=\"{StatusCode}\", Detail=\"{Detail}\")";
}
