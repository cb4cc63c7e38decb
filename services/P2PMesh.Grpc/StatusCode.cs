namespace P2PMesh.Grpc;

/// <summary>
/// The gRPC status codes, with the numeric values sent in the <c>grpc-status</c> trailer
/// (grpc/grpc doc/statuscodes.md).
/// </summary>
public enum StatusCode
{
    /// <summary>Not an error; returned on success.</summary>
    OK = 0,
    /// <summary>The operation was cancelled, typically by the caller.</summary>
    Cancelled = 1,
    /// <summary>Unknown error, e.g. an exception thrown by a handler.</summary>
    Unknown = 2,
    /// <summary>The client specified an invalid argument.</summary>
    InvalidArgument = 3,
    /// <summary>The deadline expired before the operation could complete.</summary>
    DeadlineExceeded = 4,
    /// <summary>Some requested entity (e.g. a file) was not found.</summary>
    NotFound = 5,
    /// <summary>The entity that a client attempted to create already exists.</summary>
    AlreadyExists = 6,
    /// <summary>The caller does not have permission to execute the operation.</summary>
    PermissionDenied = 7,
    /// <summary>Some resource has been exhausted (a message size limit, a full neighbour table).</summary>
    ResourceExhausted = 8,
    /// <summary>The system is not in a state required for the operation's execution.</summary>
    FailedPrecondition = 9,
    /// <summary>The operation was aborted, typically due to a concurrency issue.</summary>
    Aborted = 10,
    /// <summary>The operation was attempted past the valid range (e.g. a chunk index).</summary>
    OutOfRange = 11,
    /// <summary>The operation is not implemented or not supported (e.g. an unknown method).</summary>
    Unimplemented = 12,
    /// <summary>Internal error: an invariant expected by the system is broken (e.g. a malformed frame).</summary>
    Internal = 13,
    /// <summary>The service is currently unavailable; retrying may succeed.</summary>
    Unavailable = 14,
    /// <summary>Unrecoverable data loss or corruption (e.g. a hash mismatch).</summary>
    DataLoss = 15,
    /// <summary>The request does not have valid authentication credentials.</summary>
    Unauthenticated = 16,
}
