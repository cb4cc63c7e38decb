using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Google.Protobuf;
using Grpc.Health.V1;
using P2PMesh.Bootstrap.Tests;
using P2PMesh.Testing.Fuzz;
using P2PMesh.V1;
using Xunit.Abstractions;

namespace P2PMesh.PServer.Tests.Fuzz;

/// <summary>
/// Malformed HTTP/2 below gRPC against a running PServer (issue 13, docs/security.md, Malformed input), on raw TCP
/// connections: a valid <c>Ping</c> call written frame by frame (preface, SETTINGS, HEADERS with literal HPACK fields,
/// DATA) is answered; the protocol errors of RFC 9113 each end the connection with a GOAWAY of their code; and 1,000
/// seeded mutations of the valid call's frames are sent (each answered, refused with a GOAWAY, closed, or left waiting
/// for the rest of a request). Afterwards the PServer is SERVING and answers a real client. Runs on its own, after the
/// parallel tests.
/// </summary>
[Collection(TimingSensitiveCollection.Name)]
public sealed class MalformedHttp2FramesTests(ITestOutputHelper output)
{
    private const int Mutations = 1_000;
    private const byte Data = 0x0, Headers = 0x1, Settings = 0x4, GoAway = 0x7, WindowUpdate = 0x8;
    private const byte EndStream = 0x1, EndHeaders = 0x4;
    private static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task RawFrames_ProtocolErrorsGetTheirGoAway_MutationsLeaveThePeerServing()
    {
        await using var host = await PServerHost.StartAsync();
        var call = ValidPingCall();

        var valid = await ExchangeAsync(host.Address.Port, [.. Preface, .. call]);
        Assert.True(valid.Frames.Contains((Headers, 1)), $"a valid Ping call, written by hand, is answered: {valid}");
        Assert.Null(valid.GoAwayError);

        var classes = new (string Name, byte[] Frames, uint GoAwayError)[]
        {
            ("a frame over SETTINGS_MAX_FRAME_SIZE", Frame(Data, 0, 1, new byte[20_000]), 6),   // FRAME_SIZE_ERROR
            ("SETTINGS whose length is not a multiple of 6", Frame(Settings, 0, 0, new byte[5]), 6),
            ("HEADERS on stream 0", Frame(Headers, EndHeaders, 0, [0x82]), 1),   // PROTOCOL_ERROR
            ("a stream id the client may not use (even)", Frame(Headers, EndHeaders | EndStream, 2, [0x82]), 1),
            ("HPACK that does not decode", Frame(Headers, EndHeaders | EndStream, 1, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), 9),   // COMPRESSION_ERROR
            ("WINDOW_UPDATE of 0 on the connection", Frame(WindowUpdate, 0, 0, new byte[4]), 1),
        };
        var failures = new List<string>();
        foreach (var c in classes)
        {
            var outcome = await ExchangeAsync(host.Address.Port, [.. Preface, .. Frame(Settings, 0, 0, []), .. c.Frames]);
            if (outcome.GoAwayError != c.GoAwayError)
            {
                failures.Add($"{c.Name}: {outcome}, expected GOAWAY {c.GoAwayError}");
            }
        }

        var random = new Random(1302);
        var goAways = new Dictionary<string, int>();
        var cases = Enumerable.Range(0, Mutations).Select(_ => (byte[])[.. Preface, .. GrpcFuzzer.Mutate(call, random)]).ToList();
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (bytes, _) =>
        {
            var outcome = await ExchangeAsync(host.Address.Port, bytes);
            lock (goAways)
            {
                var key = outcome.GoAwayError is { } code ? "GOAWAY " + code.ToString(System.Globalization.CultureInfo.InvariantCulture)
                    : outcome.Frames.Contains((Headers, 1)) ? "answered" : outcome.Closed ? "closed" : "waiting for more";
                goAways[key] = goAways.GetValueOrDefault(key) + 1;
            }
        });
        output.WriteLine("the mutations: " + string.Join(", ", goAways.OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}={g.Value}")));

        var health = await new global::Grpc.Health.V1.Health.HealthClient(host.Channel).CheckAsync(new HealthCheckRequest());
        var pong = await host.Client.PingAsync(new PingRequest());
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        Assert.Equal(host.Id, pong.Peer.Id);
    }

    /// <summary>SETTINGS, then a Ping call on stream 1: HEADERS (literal HPACK fields, no Huffman) and one DATA frame.</summary>
    private static byte[] ValidPingCall()
    {
        var block = new List<byte>();
        foreach (var (name, value) in new[]
        {
            (":method", "POST"), (":scheme", "http"), (":path", "/p2pmesh.v1.Peer/Ping"), (":authority", "127.0.0.1"),
            ("content-type", "application/grpc"), ("te", "trailers"),
        })
        {
            block.Add(0x00);   // literal header field without indexing, new name (RFC 7541, 6.2.2)
            block.Add((byte)name.Length);
            block.AddRange(Encoding.ASCII.GetBytes(name));
            block.Add((byte)value.Length);
            block.AddRange(Encoding.ASCII.GetBytes(value));
        }
        var message = GrpcFuzzer.Frame(new PingRequest { Sender = new PeerInfo { Id = "raw", Address = "127.0.0.1:9" } }.ToByteArray());
        return [.. Frame(Settings, 0, 0, []), .. Frame(Headers, EndHeaders, 1, [.. block]), .. Frame(Data, EndStream, 1, message)];
    }

    private static byte[] Frame(byte type, byte flags, uint stream, byte[] payload)
    {
        var frame = new byte[9 + payload.Length];
        frame[0] = (byte)(payload.Length >> 16);
        frame[1] = (byte)(payload.Length >> 8);
        frame[2] = (byte)payload.Length;
        frame[3] = type;
        frame[4] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(5), stream);
        payload.CopyTo(frame, 9);
        return frame;
    }

    /// <summary>What the server did with one connection: the frames it sent (type, stream), its GOAWAY's error code, whether it closed the connection.</summary>
    private sealed record Outcome(List<(byte Type, uint Stream)> Frames, uint? GoAwayError, bool Closed)
    {
        public override string ToString() =>
            $"{(Closed ? "closed" : "still open")}, GOAWAY {GoAwayError?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, frames {string.Join(" ", Frames.Select(f => $"{f.Type}/{f.Stream}"))}";
    }

    // Writes the bytes and reads the server's frames until it closes the connection, sends a GOAWAY or the call's
    // trailers (HEADERS with END_STREAM), or stays quiet for Quiet (then: still open, which a request waiting for the
    // rest of its body legitimately is, until Kestrel's minimum data rate cuts it).
    private static async Task<Outcome> ExchangeAsync(int port, byte[] bytes)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(System.Net.IPAddress.Loopback, port);
        var stream = client.GetStream();
        var frames = new List<(byte, uint)>();
        uint? goAway = null;
        var data = new List<byte>();
        var chunk = new byte[16 * 1024];
        await stream.WriteAsync(bytes);
        var parsed = 0;
        while (true)
        {
            int n;
            using (var quiet = new CancellationTokenSource(Quiet))
            {
                try
                {
                    n = await stream.ReadAsync(chunk, quiet.Token);
                }
                catch (OperationCanceledException)
                {
                    return new Outcome(frames, goAway, Closed: false);
                }
                catch (IOException)
                {
                    return new Outcome(frames, goAway, Closed: true);   // reset by the server
                }
            }
            if (n == 0)
            {
                return new Outcome(frames, goAway, Closed: true);
            }
            data.AddRange(chunk.AsSpan(0, n));
            while (parsed + 9 <= data.Count)
            {
                var length = (data[parsed] << 16) | (data[parsed + 1] << 8) | data[parsed + 2];
                if (parsed + 9 + length > data.Count)
                {
                    break;
                }
                var type = data[parsed + 3];
                var flags = data[parsed + 4];
                var id = (uint)((data[parsed + 5] << 24) | (data[parsed + 6] << 16) | (data[parsed + 7] << 8) | data[parsed + 8]) & 0x7fffffff;
                frames.Add((type, id));
                if (type == GoAway && length >= 8)
                {
                    goAway = (uint)((data[parsed + 13] << 24) | (data[parsed + 14] << 16) | (data[parsed + 15] << 8) | data[parsed + 16]);
                    return new Outcome(frames, goAway, Closed: true);
                }
                if (type == Headers && id == 1 && (flags & EndStream) != 0)
                {
                    return new Outcome(frames, goAway, Closed: false);   // the call's trailers: answered
                }
                parsed += 9 + length;
            }
        }
    }
}
