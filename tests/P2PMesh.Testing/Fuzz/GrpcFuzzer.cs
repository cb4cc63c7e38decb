using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace P2PMesh.Testing.Fuzz;

/// <summary>
/// Malformed gRPC requests over raw HTTP/2 (docs/security.md, Malformed input): seeded mutations of valid protobuf
/// messages, gRPC length-prefixed framing built by hand, and the call's outcome read from the wire as the status a
/// client would see. Used by the PServer's and the directory's fuzz suites.
/// </summary>
public static class GrpcFuzzer
{
    /// <summary>
    /// A copy of <paramref name="message"/> with one random damage: flipped bits, truncated, random bytes appended,
    /// a span overwritten with random bytes, or replaced by up to 63 random bytes. The same <paramref name="random"/>
    /// seed gives the same sequence.
    /// </summary>
    public static byte[] Mutate(byte[] message, Random random)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(random);
        var bytes = message.ToArray();
        switch (random.Next(5))
        {
            case 0:
                for (var i = 0; i < 1 + random.Next(4) && bytes.Length > 0; i++)
                {
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                }
                return bytes;
            case 1:
                return bytes[..random.Next(bytes.Length + 1)];
            case 2:
                var tail = new byte[1 + random.Next(32)];
                random.NextBytes(tail);
                return [.. bytes, .. tail];
            case 3:
                if (bytes.Length > 0)
                {
                    var start = random.Next(bytes.Length);
                    random.NextBytes(bytes.AsSpan(start, Math.Min(bytes.Length - start, 1 + random.Next(8))));
                }
                return bytes;
            default:
                var noise = new byte[random.Next(64)];
                random.NextBytes(noise);
                return noise;
        }
    }

    /// <summary>One gRPC length-prefixed message: flag 0 (uncompressed), 4-byte big-endian length, the bytes.</summary>
    public static byte[] Frame(byte[] message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var framed = new byte[5 + message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(framed.AsSpan(1), (uint)message.Length);
        message.CopyTo(framed, 5);
        return framed;
    }

    /// <summary>
    /// POSTs <paramref name="body"/> to <paramref name="path"/> (<c>/package.Service/Method</c>) over HTTP/2 and returns
    /// the call's <c>grpc-status</c> as a number (from the headers of a trailers-only answer or from the trailers),
    /// <c>http&lt;code&gt;</c> for a non-200 answer, <c>no-status</c> when a 200 has none, or <c>error: …</c> when the
    /// connection or stream broke.
    /// </summary>
    /// <param name="http">A client that speaks HTTP/2 to <paramref name="address"/> (plaintext, prior knowledge).</param>
    /// <param name="address">The server, e.g. <c>http://127.0.0.1:5000</c>.</param>
    /// <param name="path">The method's path.</param>
    /// <param name="body">The request body as sent, framing included.</param>
    /// <param name="contentType">The content type, normally <c>application/grpc</c>.</param>
    /// <param name="timeout">A <c>grpc-timeout</c> header value to send, or <c>null</c> for none.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    public static async Task<string> SendAsync(
        HttpClient http, Uri address, string path, byte[] body, string contentType = "application/grpc", string? timeout = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TryAddWithoutValidation("te", "trailers");
        if (timeout is not null)
        {
            request.Headers.TryAddWithoutValidation("grpc-timeout", timeout);
        }
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return "http" + ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
            }
            return response.Headers.TryGetValues("grpc-status", out var early) ? early.Single()
                : response.TrailingHeaders.TryGetValues("grpc-status", out var late) ? late.Single() : "no-status";
        }
        catch (HttpRequestException ex)
        {
            return $"error: {ex.Message}";
        }
    }

    /// <summary>
    /// Sends <paramref name="count"/> mutated requests, taking the valid requests of <paramref name="valid"/> in turn,
    /// 16 at a time, and counts the outcomes (as <see cref="SendAsync"/> names them).
    /// </summary>
    /// <param name="http">An HTTP/2 client.</param>
    /// <param name="address">The server.</param>
    /// <param name="valid">Method paths with a valid serialized request for each.</param>
    /// <param name="count">How many requests to send.</param>
    /// <param name="seed">The mutation seed: the same seed sends the same requests.</param>
    /// <returns>How often each outcome was seen, and up to 20 samples of the outcomes that are not a gRPC status
    /// other than UNKNOWN (method, the body's first 64 bytes in hex, outcome).</returns>
    public static async Task<(IReadOnlyDictionary<string, int> Outcomes, IReadOnlyList<string> Defects)> MutateAllAsync(
        HttpClient http, Uri address, IReadOnlyList<(string Path, byte[] Message)> valid, int count, int seed)
    {
        ArgumentNullException.ThrowIfNull(valid);
        var random = new Random(seed);
        var cases = Enumerable.Range(0, count).Select(i => (valid[i % valid.Count].Path, Body: Frame(Mutate(valid[i % valid.Count].Message, random)))).ToList();
        var outcomes = new Dictionary<string, int>();
        var defects = new List<string>();
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (c, ct) =>
        {
            var outcome = await SendAsync(http, address, c.Path, c.Body, cancellationToken: ct).ConfigureAwait(false);
            lock (outcomes)
            {
                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
                if (!IsClearStatus(outcome) && defects.Count < 20)
                {
                    defects.Add($"{c.Path} {Convert.ToHexString(c.Body.AsSpan(0, Math.Min(64, c.Body.Length)))}: {outcome}");
                }
            }
        }).ConfigureAwait(false);
        return (outcomes, defects);
    }

    /// <summary>This process's managed heap in bytes after a full, blocking collection (the fuzz suites' memory bound).</summary>
    public static long ManagedMemory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>A gRPC status that says what happened: any status but UNKNOWN (2), which is what a crashed handler gets.</summary>
    public static bool IsClearStatus(string outcome) =>
        int.TryParse(outcome, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code is >= 0 and <= 16 && code != 2;
}
