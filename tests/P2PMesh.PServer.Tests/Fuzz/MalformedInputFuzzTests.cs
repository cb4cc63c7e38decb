using System.Buffers.Binary;
using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Health.V1;
using P2PMesh.Bootstrap.Tests;
using P2PMesh.Testing.Fuzz;
using P2PMesh.V1;
using Xunit.Abstractions;

namespace P2PMesh.PServer.Tests.Fuzz;

/// <summary>
/// Malformed input against a running PServer (issue 13, docs/security.md, Malformed input): 10,000 seeded mutations of
/// valid requests to the read methods and to Upload over raw HTTP/2, then broken gRPC framing (bad lengths, truncated
/// messages, the compressed flag without an encoding, an oversized declared length), a bad content type, bad
/// <c>grpc-timeout</c>s, hostile values (huge TTL, unknown hash, ranges past the end) and hostile upload names — each
/// answered with a gRPC status of its class, never UNKNOWN and never a broken stream. Afterwards the PServer still
/// serves, its share holds exactly what it held, nothing was written beside it, and its managed memory is back
/// within a bound. Seeded, so a failure repeats. Runs on its own, after the parallel tests: the memory bound is the
/// whole test process's.
/// </summary>
[Collection(TimingSensitiveCollection.Name)]
public sealed class MalformedInputFuzzTests(ITestOutputHelper output)
{
    private const int Mutations = 10_000;
    private const string Service = "/p2pmesh.v1.Peer/";

    [Fact]
    public async Task TenThousandMutatedRequests_EachAClearStatus_ThePeerStillServesAndLosesNothing()
    {
        // Rate limits out of the way (tested in Limits/): 10,000 requests would drain the buckets, and the classes
        // checked after them would get RESOURCE_EXHAUSTED instead of their own status.
        await using var host = await PServerHost.StartAsync(
            ["--Limits:SearchPerSecond=1000000", "--Limits:SearchBurst=1000000", "--Limits:ReadChunksPerSecond=1000000", "--Limits:ReadChunksBurst=1000000"]);
        var content = RandomNumberGenerator.GetBytes(300_000);
        await host.AddFileAsync("kept.bin", content);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        var before = ShareState.Capture(host.ShareDirectory);
        var memoryBefore = GrpcFuzzer.ManagedMemory();
        using var http = new HttpClient(new SocketsHttpHandler { EnableMultipleHttp2Connections = true }) { Timeout = TimeSpan.FromSeconds(30) };
        var valid = new (string, byte[])[]
        {
            (Service + "Ping", new PingRequest { Sender = new PeerInfo { Id = "fuzz", Address = "127.0.0.1:9" } }.ToByteArray()),
            (Service + "GetManifest", new GetManifestRequest { Sha256 = sha256 }.ToByteArray()),
            (Service + "ReadChunks", new ReadChunksRequest { Sha256 = sha256, Chunks = { 0 }, Ranges = { new ByteRange { Offset = 10, Length = 100 } } }.ToByteArray()),
            (Service + "Search", new SearchRequest { QueryId = ByteString.CopyFrom(new byte[16]), Pattern = "k*.bin", Ttl = 1 }.ToByteArray()),
            (Service + "ListFiles", new ListFilesRequest().ToByteArray()),
            (Service + "GetNeighbours", new GetNeighboursRequest().ToByteArray()),
            // A header alone: an upload that never sends its data, whatever the mutation left of the header.
            (Service + "Upload", new UploadPart { Header = new UploadHeader { Name = "new.bin", Size = 4, Sha256 = sha256 } }.ToByteArray()),
        };

        var (outcomes, defects) = await GrpcFuzzer.MutateAllAsync(http, host.Address, valid, Mutations, seed: 1300);
        output.WriteLine("mutations: " + string.Join(", ", outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key}={o.Value}")));

        var failures = defects.ToList();
        var ping = new PingRequest().ToByteArray();
        var oversized = new byte[5];
        BinaryPrimitives.WriteUInt32BigEndian(oversized.AsSpan(1), 16 * 1024 * 1024);
        var compressed = GrpcFuzzer.Frame(ping);
        compressed[0] = 1;
        var classes = new (string Name, string Method, byte[] Body, string ContentType, string? Timeout, string[] Expected)[]
        {
            ("declared length beyond the body", "Ping", [.. GrpcFuzzer.Frame(ping), 0, 0, 0, 0, 9, 1], "application/grpc", null, ["13"]),
            ("truncated message", "GetManifest", GrpcFuzzer.Frame(valid[1].Item2)[..20], "application/grpc", null, ["13"]),
            ("truncated frame header", "Ping", [0, 0, 0], "application/grpc", null, ["13"]),
            ("declared length over the 4 MiB limit", "Ping", oversized, "application/grpc", null, ["8"]),
            ("compressed flag without grpc-encoding", "Ping", compressed, "application/grpc", null, ["13"]),
            ("two messages to a unary method", "Ping", [.. GrpcFuzzer.Frame(ping), .. GrpcFuzzer.Frame(ping)], "application/grpc", null, ["13"]),
            ("no message to a unary method", "Ping", [], "application/grpc", null, ["13"]),
            ("not protobuf", "Ping", GrpcFuzzer.Frame([0xff, 0xff, 0xff]), "application/grpc", null, ["13"]),
            ("bad content type", "Ping", GrpcFuzzer.Frame(ping), "text/plain", null, ["http415"]),
            ("unknown method", "Steal", GrpcFuzzer.Frame(ping), "application/grpc", null, ["12"]),
            ("bad grpc-timeout (ignored)", "Ping", GrpcFuzzer.Frame(ping), "application/grpc", "soon", ["0"]),
            ("huge grpc-timeout", "Ping", GrpcFuzzer.Frame(ping), "application/grpc", "99999999H", ["0"]),
            ("zero grpc-timeout", "Ping", GrpcFuzzer.Frame(ping), "application/grpc", "0n", ["0", "4"]),
            ("huge TTL", "Search", GrpcFuzzer.Frame(new SearchRequest { QueryId = ByteString.CopyFrom(new byte[16]), Pattern = "*", Ttl = uint.MaxValue }.ToByteArray()), "application/grpc", null, ["3"]),
            ("unknown hash", "GetManifest", GrpcFuzzer.Frame(new GetManifestRequest { Sha256 = new string('0', 64) }.ToByteArray()), "application/grpc", null, ["5"]),
            ("range past the end", "ReadChunks", GrpcFuzzer.Frame(new ReadChunksRequest { Sha256 = sha256, Ranges = { new ByteRange { Offset = 299_999, Length = 2 } } }.ToByteArray()), "application/grpc", null, ["3", "11"]),
            ("chunk past the end", "ReadChunks", GrpcFuzzer.Frame(new ReadChunksRequest { Sha256 = sha256, Chunks = { 1_000_000 } }.ToByteArray()), "application/grpc", null, ["3", "11"]),
        };
        foreach (var c in classes)
        {
            var outcome = await GrpcFuzzer.SendAsync(http, host.Address, Service + c.Method, c.Body, c.ContentType, c.Timeout);
            if (!c.Expected.Contains(outcome))
            {
                failures.Add($"{c.Name}: {outcome}, expected {string.Join(" or ", c.Expected)}");
            }
        }

        // Hostile upload names (the PServer takes uploads from loopback, where this test runs).
        var evil = Convert.ToHexStringLower(SHA256.HashData("evil"u8));
        foreach (var name in new[] { "../escape.bin", "/etc/passwd", "a/../../b", "nul\0.bin", "line\nbreak", new string('語', 100), "..", "" })
        {
            var header = new UploadPart { Header = new UploadHeader { Name = name, Size = 4, Sha256 = evil } };
            byte[] body = [.. GrpcFuzzer.Frame(header.ToByteArray()), .. GrpcFuzzer.Frame(new UploadPart { Data = ByteString.CopyFromUtf8("evil") }.ToByteArray())];
            var outcome = await GrpcFuzzer.SendAsync(http, host.Address, Service + "Upload", body);
            if (outcome != "3")
            {
                failures.Add($"upload name {Escaped(name)}: {outcome}, expected 3 (INVALID_ARGUMENT)");
            }
        }

        var health = await new global::Grpc.Health.V1.Health.HealthClient(host.Channel).CheckAsync(new HealthCheckRequest());
        var pong = await host.Client.PingAsync(new PingRequest());
        var memoryAfter = GrpcFuzzer.ManagedMemory();

        Assert.True(failures.Count == 0, $"{failures.Count} failure(s):{Environment.NewLine}{string.Join(Environment.NewLine, failures)}");
        Assert.Equal(Mutations, outcomes.Values.Sum());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        Assert.Equal(host.Id, pong.Peer.Id);
        Assert.Equal(before, ShareState.Capture(host.ShareDirectory));
        Assert.True(memoryAfter - memoryBefore < 64L * 1024 * 1024, $"managed memory grew by {(memoryAfter - memoryBefore) / 1024 / 1024} MiB");
    }

    private static string Escaped(string name) => string.Concat(name.Take(20).Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));

    /// <summary>
    /// Every file in the share (the index's state folder excluded, but not an upload's or download's <c>.part</c>) with its SHA-256, and which of the places the
    /// hostile names point at outside it exist (other tests write into the same temporary folder, so not a count).
    /// </summary>
    private sealed record ShareState(string Files, string Outside)
    {
        public static ShareState Capture(string share)
        {
            var parent = Path.GetDirectoryName(share)!;
            string[] escapes = [Path.Combine(parent, "escape.bin"), Path.Combine(parent, "b"), Path.Combine(parent, "new.bin"), Path.Combine(parent, "evil")];
            return new(
                string.Join('\n', Directory.EnumerateFiles(share, "*", SearchOption.AllDirectories)
                    .Where(f => !Path.GetRelativePath(share, f).StartsWith(".p2pmesh", StringComparison.Ordinal) || f.EndsWith(".part", StringComparison.Ordinal))
                    .Order(StringComparer.Ordinal)
                    .Select(f => $"{Path.GetRelativePath(share, f)} {Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f)))}")),
                string.Join(' ', escapes.Select(e => $"{Path.GetFileName(e)}={Path.Exists(e)}")));
        }
    }
}
