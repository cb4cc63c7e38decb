using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Pipelines;
using Google.Protobuf;

namespace P2PMesh.Grpc.Internal;

/// <summary>
/// Length-prefixed messages (PROTOCOL-HTTP2.md, Requests: <c>Length-Prefixed-Message</c>): a
/// compressed flag byte, a 4-byte big-endian length, then the message. A message may be split over
/// any number of DATA frames and a DATA frame may hold several messages; the pipe hides both.
/// Shared by the server (Kestrel's request/response pipes) and the client (HttpClient streams).
/// </summary>
internal static class MessageFraming
{
    public const int HeaderSize = 5;

    /// <summary>
    /// Reads the next message, or returns <c>null</c> when the stream ends cleanly between messages.
    /// </summary>
    /// <param name="reader">The body.</param>
    /// <param name="parser">The message type's parser (from its descriptor).</param>
    /// <param name="maxMessageSize">Largest accepted message in bytes (after decompression); <c>null</c> for no limit.</param>
    /// <param name="encoding">The stream's <c>grpc-encoding</c>, or <c>null</c> for identity.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="RpcException">
    /// <see cref="StatusCode.ResourceExhausted"/> over the limit; <see cref="StatusCode.Internal"/> for a
    /// truncated frame, an invalid compressed flag, a compressed message without an encoding, or bytes
    /// that do not parse as the message.
    /// </exception>
    public static async ValueTask<T?> ReadMessageAsync<T>(
        PipeReader reader, MessageParser<T> parser, int? maxMessageSize, string? encoding, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (TryParseFrame(buffer, maxMessageSize, out var compressed, out var payload))
            {
                try
                {
                    return Parse(parser, compressed ? Decompress(payload, encoding, maxMessageSize) : payload);
                }
                finally
                {
                    reader.AdvanceTo(payload.End);
                }
            }

            if (result.IsCompleted)
            {
                var received = buffer.Length;
                var expected = received >= HeaderSize ? ReadLength(buffer).ToString(System.Globalization.CultureInfo.InvariantCulture) : "?";
                reader.AdvanceTo(buffer.End);
                if (received == 0)
                {
                    return null;
                }
                throw new RpcException(new Status(StatusCode.Internal,
                    $"Incomplete message: the stream ended after {received} of {HeaderSize} + {expected} bytes."));
            }
            if (result.IsCanceled)
            {
                throw new OperationCanceledException(cancellationToken);
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>
    /// Writes <paramref name="message"/> as one uncompressed length-prefixed message and flushes.
    /// </summary>
    /// <exception cref="RpcException"><see cref="StatusCode.ResourceExhausted"/>: larger than <paramref name="maxMessageSize"/>.</exception>
    public static async ValueTask WriteMessageAsync(PipeWriter writer, IMessage message, int? maxMessageSize, CancellationToken cancellationToken)
    {
        var size = message.CalculateSize();
        if (size > maxMessageSize)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted,
                $"Sending message exceeds the maximum configured message size ({size} > {maxMessageSize} bytes)."));
        }
        var header = writer.GetSpan(HeaderSize);
        header[0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(header[1..], (uint)size);
        writer.Advance(HeaderSize);
        message.WriteTo(writer);
        var flush = await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (flush.IsCanceled)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }

    private static bool TryParseFrame(ReadOnlySequence<byte> buffer, int? maxMessageSize, out bool compressed, out ReadOnlySequence<byte> payload)
    {
        compressed = false;
        payload = default;
        if (buffer.Length < HeaderSize)
        {
            return false;
        }

        var flag = buffer.FirstSpan.Length > 0 ? buffer.FirstSpan[0] : buffer.Slice(0, 1).ToArray()[0];
        compressed = flag switch
        {
            0 => false,
            1 => true,
            _ => throw new RpcException(new Status(StatusCode.Internal, $"Invalid compressed flag {flag} in message header (must be 0 or 1).")),
        };
        var length = ReadLength(buffer);
        // Refuse before buffering: the limit applies as soon as the header says how long the message is.
        if (length > (ulong)(maxMessageSize ?? int.MaxValue))
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted,
                $"Received message exceeds the maximum configured message size ({length} > {maxMessageSize ?? int.MaxValue} bytes)."));
        }
        if (buffer.Length - HeaderSize < (long)length)
        {
            return false;
        }
        payload = buffer.Slice(HeaderSize, (long)length);
        return true;
    }

    private static ulong ReadLength(ReadOnlySequence<byte> buffer)
    {
        Span<byte> header = stackalloc byte[HeaderSize];
        buffer.Slice(0, HeaderSize).CopyTo(header);
        return BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
    }

    private static ReadOnlySequence<byte> Decompress(ReadOnlySequence<byte> payload, string? encoding, int? maxMessageSize)
    {
        // PROTOCOL-HTTP2.md, Compressed-Flag: a set flag means the message is compressed with the
        // stream's Message-Encoding; with no (or identity) encoding that is a protocol error.
        if (encoding is null || encoding == GrpcProtocolConstants.IdentityEncoding)
        {
            throw new RpcException(new Status(StatusCode.Internal,
                "Received a compressed message but the stream's grpc-encoding is identity."));
        }
        if (encoding != GrpcProtocolConstants.GzipEncoding)
        {
            throw new RpcException(new Status(StatusCode.Unimplemented,
                $"Message compressed with unsupported grpc-encoding '{encoding}' (supported: {GrpcProtocolConstants.AcceptedEncodings})."));
        }

        var limit = maxMessageSize ?? int.MaxValue;
        using var gzip = new GZipStream(new ReadOnlySequenceStream(payload), CompressionMode.Decompress);
        var output = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = gzip.Read(chunk)) > 0)
            {
                if (output.Length + read > limit)
                {
                    throw new RpcException(new Status(StatusCode.ResourceExhausted,
                        $"Received message exceeds the maximum configured message size once decompressed (> {limit} bytes)."));
                }
                output.Write(chunk, 0, read);
            }
        }
        catch (InvalidDataException ex)
        {
            throw new RpcException(new Status(StatusCode.Internal, "Compressed message is not valid gzip: " + ex.Message));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        return new ReadOnlySequence<byte>(output.GetBuffer(), 0, (int)output.Length);
    }

    private static T Parse<T>(MessageParser<T> parser, ReadOnlySequence<byte> payload)
        where T : class, IMessage<T>
    {
        try
        {
            return parser.ParseFrom(payload);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new RpcException(new Status(StatusCode.Internal,
                $"Failed to deserialize {typeof(T).Name}: {ex.Message}"));
        }
    }
}
