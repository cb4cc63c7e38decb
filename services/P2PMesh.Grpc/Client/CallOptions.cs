namespace P2PMesh.Grpc;

/// <summary>Per-call options of a client call.</summary>
/// <param name="Headers">Request metadata; <c>null</c> for none.</param>
/// <param name="Deadline">
/// When the call must end (UTC); sent as <c>grpc-timeout</c> (PROTOCOL-HTTP2.md, Requests) and enforced
/// locally, failing with <see cref="StatusCode.DeadlineExceeded"/>. <c>null</c> for no deadline.
/// </param>
/// <param name="CancellationToken">Cancels the call (RST_STREAM CANCEL); it then fails with <see cref="StatusCode.Cancelled"/>.</param>
public readonly record struct CallOptions(Metadata? Headers = null, DateTime? Deadline = null, CancellationToken CancellationToken = default)
{
    /// <summary>These options with a deadline <paramref name="timeout"/> from now.</summary>
    public CallOptions WithTimeout(TimeSpan timeout) => this with { Deadline = DateTime.UtcNow + timeout };
}
