using System.Buffers.Binary;
using System.Net;
using Google.Protobuf;

namespace P2PMesh.Grpc.Tests.Infrastructure;

/// <summary>
/// Sends hand-made gRPC requests over real HTTP/2 (h2c prior knowledge), so tests control every byte
/// and every DATA-frame boundary, and see the raw response: status, headers, body and trailers.
/// </summary>
public static class RawGrpc
{
    public sealed record Response(HttpStatusCode HttpStatus, Dictionary<string, string> Headers, byte[] Body, Dictionary<string, string> Trailers)
    {
        /// <summary>grpc-status from the trailers, or from the headers for Trailers-Only.</summary>
        public string? GrpcStatus => Trailers.GetValueOrDefault("grpc-status") ?? Headers.GetValueOrDefault("grpc-status");
        public string? GrpcMessage => Trailers.GetValueOrDefault("grpc-message") ?? Headers.GetValueOrDefault("grpc-message");
        public bool IsTrailersOnly => Headers.ContainsKey("grpc-status") && Trailers.Count == 0 && Body.Length == 0;
    }

    /// <summary>A length-prefixed message: flag, big-endian length, bytes.</summary>
    public static byte[] Frame(byte[] message, byte flag = 0, uint? declaredLength = null)
    {
        var frame = new byte[5 + message.Length];
        frame[0] = flag;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), declaredLength ?? (uint)message.Length);
        message.CopyTo(frame, 5);
        return frame;
    }

    public static byte[] Frame(IMessage message) => Frame(message.ToByteArray());

    /// <summary>
    /// POSTs <paramref name="chunks"/> to <paramref name="path"/>, flushing after each so that each
    /// becomes its own DATA frame (at least one per chunk).
    /// </summary>
    public static async Task<Response> SendAsync(
        Uri server, string path, IEnumerable<byte[]> chunks, string contentType = "application/grpc", IDictionary<string, string>? headers = null)
    {
        using var handler = new SocketsHttpHandler { UseProxy = false };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ChunkedContent(chunks.ToList(), contentType),
        };
        request.Headers.TryAddWithoutValidation("te", "trailers");
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var body = await response.Content.ReadAsByteArrayAsync();
        var responseHeaders = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value));
        var trailers = response.TrailingHeaders.ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value));
        return new Response(response.StatusCode, responseHeaders, body, trailers);
    }

    /// <summary>Splits a response body into its messages (flag, payload).</summary>
    public static List<(byte Flag, byte[] Payload)> ReadFrames(byte[] body)
    {
        var frames = new List<(byte, byte[])>();
        var offset = 0;
        while (offset < body.Length)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(offset + 1));
            frames.Add((body[offset], body.AsSpan(offset + 5, length).ToArray()));
            offset += 5 + length;
        }
        return frames;
    }

    private sealed class ChunkedContent : HttpContent
    {
        private readonly List<byte[]> _chunks;

        public ChunkedContent(List<byte[]> chunks, string contentType)
        {
            _chunks = chunks;
            Headers.TryAddWithoutValidation("content-type", contentType);
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            foreach (var chunk in _chunks)
            {
                await stream.WriteAsync(chunk);
                await stream.FlushAsync();
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
