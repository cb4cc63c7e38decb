namespace P2PMesh.Grpc.Internal;

/// <summary>Header names and values of the wire protocol (PROTOCOL-HTTP2.md).</summary>
internal static class GrpcProtocolConstants
{
    public const string ContentType = "application/grpc";
    public const string TimeoutHeader = "grpc-timeout";
    public const string EncodingHeader = "grpc-encoding";
    public const string AcceptEncodingHeader = "grpc-accept-encoding";
    public const string StatusTrailer = "grpc-status";
    public const string MessageTrailer = "grpc-message";
    public const string TeHeader = "te";
    public const string TeTrailers = "trailers";
    public const string UserAgent = "grpc-p2pmesh-dotnet/1.0";
    public const string IdentityEncoding = "identity";
    public const string GzipEncoding = "gzip";

    /// <summary>The message encodings this implementation can read, as sent in <c>grpc-accept-encoding</c>.</summary>
    public const string AcceptedEncodings = "identity,gzip";

    /// <summary>The default receive limit, 4 MiB, as in every gRPC implementation.</summary>
    public const int DefaultMaxReceiveMessageSize = 4 * 1024 * 1024;

    /// <summary>
    /// Whether <paramref name="contentType"/> is a gRPC content type: <c>application/grpc</c>, optionally
    /// followed by <c>+proto</c>/<c>+json</c>-style suffixes or parameters (PROTOCOL-HTTP2.md, Requests).
    /// </summary>
    public static bool IsGrpcContentType(string? contentType)
    {
        if (contentType is null || !contentType.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        return contentType.Length == ContentType.Length || contentType[ContentType.Length] is '+' or ';';
    }

    /// <summary>
    /// Whether a header is part of the protocol rather than custom metadata, so it is neither
    /// exposed as metadata nor accepted from it (PROTOCOL-HTTP2.md, Custom-Metadata: "grpc-" is reserved).
    /// </summary>
    public static bool IsReservedHeader(string name) =>
        name.StartsWith(':')
        || name.StartsWith("grpc-", StringComparison.OrdinalIgnoreCase)
        || name.Equals("content-type", StringComparison.OrdinalIgnoreCase)
        || name.Equals("content-length", StringComparison.OrdinalIgnoreCase)
        || name.Equals("te", StringComparison.OrdinalIgnoreCase)
        || name.Equals("host", StringComparison.OrdinalIgnoreCase)
        || name.Equals("connection", StringComparison.OrdinalIgnoreCase)
        || name.Equals("transfer-encoding", StringComparison.OrdinalIgnoreCase);
}
