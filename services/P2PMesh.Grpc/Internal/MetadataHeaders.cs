using System.Buffers.Text;

namespace P2PMesh.Grpc.Internal;

/// <summary>
/// Converts between <see cref="Metadata"/> and HTTP/2 header fields (PROTOCOL-HTTP2.md,
/// Custom-Metadata): <c>-bin</c> values are base64, sent unpadded and accepted padded or not; a
/// header field may carry several comma-separated values.
/// </summary>
internal static class MetadataHeaders
{
    /// <summary>The header value for <paramref name="entry"/>.</summary>
    public static string ToHeaderValue(Metadata.Entry entry) =>
        entry.IsBinary ? Convert.ToBase64String(entry.ValueBytes).TrimEnd('=') : entry.Value;

    /// <summary>
    /// Adds the custom-metadata header fields among <paramref name="headers"/> to <paramref name="metadata"/>.
    /// </summary>
    /// <exception cref="RpcException"><see cref="StatusCode.Internal"/>: a <c>-bin</c> value is not base64.</exception>
    public static void AddTo(Metadata metadata, IEnumerable<KeyValuePair<string, IEnumerable<string>>> headers)
    {
        foreach (var (name, values) in headers)
        {
            if (GrpcProtocolConstants.IsReservedHeader(name))
            {
                continue;
            }
            var key = name.ToLowerInvariant();
            foreach (var value in values)
            {
                if (key.EndsWith(Metadata.BinarySuffix, StringComparison.Ordinal))
                {
                    foreach (var part in value.Split(',', StringSplitOptions.TrimEntries))
                    {
                        metadata.Add(key, DecodeBase64(key, part));
                    }
                }
                else
                {
                    metadata.Add(key, value);
                }
            }
        }
    }

    private static byte[] DecodeBase64(string key, string value)
    {
        var padded = value.TrimEnd('=');
        padded += (padded.Length % 4) switch { 2 => "==", 3 => "=", _ => string.Empty };
        var buffer = new byte[Base64.GetMaxDecodedFromUtf8Length(padded.Length)];
        if (!Convert.TryFromBase64String(padded, buffer, out var written) || padded.Length % 4 == 1)
        {
            throw new RpcException(new Status(StatusCode.Internal, $"Metadata '{key}' is not valid base64."));
        }
        return buffer[..written];
    }
}
