using Google.Protobuf;
using P2PMesh.Contracts;
using P2PMesh.Testing.Fuzz;
using P2PMesh.V1;
using Xunit.Abstractions;
using static P2PMesh.Bootstrap.Tests.BootstrapMethods;
using static P2PMesh.Bootstrap.Tests.DirectoryMethods;

namespace P2PMesh.Bootstrap.Tests.Fuzz;

/// <summary>
/// Malformed input against a running Bootstrap and directory (issue 13, docs/security.md, Malformed input): 10,000
/// seeded mutations of valid requests to every method of <c>p2pmesh.v1.Bootstrap</c> and <c>p2pmesh.v1.PeerDirectory</c>
/// over raw HTTP/2, some with a live login session — each answered with a gRPC status that is not UNKNOWN. Afterwards
/// the directory still serves, a genuine peer's login session and index are intact (in memory and in its SQLite
/// file), and its managed memory is back within a bound. Seeded, so a failure repeats. Runs on its own, after the
/// parallel tests: the memory bound is the whole test process's.
/// </summary>
[Collection(TimingSensitiveCollection.Name)]
public sealed class MalformedDirectoryInputFuzzTests(ITestOutputHelper output)
{
    private const int Mutations = 10_000;

    [Fact]
    public async Task TenThousandMutatedRequests_EachAClearStatus_TheDirectoryStillServesAndLosesNothing()
    {
        var folder = System.IO.Directory.CreateTempSubdirectory("p2pmesh-fuzz-directory-").FullName;
        try
        {
            string[] settings = ["--Directory:Secrets:keeper-peer=keeper-secret", "--Directory:Secrets:fz=fuzz-secret", $"--Directory:DatabasePath={Path.Combine(folder, "directory.db")}"];
            await using (var host = await BootstrapHost.StartAsync(settings))
            {
                var kept = Entry("kept-by-keeper.bin", "the keeper's file");
                var keeper = await host.Channel.LoginAsync(Peer("keeper-peer", 7001), "keeper-secret");
                await host.Channel.SendIndexAsync(keeper.Session, SendIndexRequest.Types.Kind.Full, [kept]);
                var fuzzer = await host.Channel.LoginAsync(Peer("fz", 7002), "fuzz-secret");
                var memoryBefore = GrpcFuzzer.ManagedMemory();
                var peer = Peer("fz", 7002);
                var valid = new (string, byte[])[]
                {
                    ("/p2pmesh.v1.Bootstrap/Join", peer.ToByteArray()),
                    ("/p2pmesh.v1.Bootstrap/Heartbeat", peer.ToByteArray()),
                    ("/p2pmesh.v1.Bootstrap/Leave", peer.ToByteArray()),
                    ("/p2pmesh.v1.Bootstrap/ListPeers", new ListPeersRequest().ToByteArray()),
                    ("/p2pmesh.v1.PeerDirectory/Login", new LoginRequest { Peer = peer, Credential = "fuzz-secret" }.ToByteArray()),
                    ("/p2pmesh.v1.PeerDirectory/SendIndex", new SendIndexRequest
                    {
                        Session = fuzzer.Session, Kind = SendIndexRequest.Types.Kind.Full, Upserted = { Entry("f.bin", "f") }, Digest = IndexDigest.Compute([Entry("f.bin", "f")]),
                    }.ToByteArray()),
                    ("/p2pmesh.v1.PeerDirectory/Query", new QueryRequest { Pattern = "*.bin" }.ToByteArray()),
                    ("/p2pmesh.v1.PeerDirectory/Logout", new LogoutRequest { Session = fuzzer.Session }.ToByteArray()),
                    ("/p2pmesh.v1.PeerDirectory/IssueToken", new IssueTokenRequest { PeerId = "fz", Address = peer.Address, Credential = "fuzz-secret" }.ToByteArray()),
                    ("/p2pmesh.v1.PeerDirectory/GetTokenKeys", new GetTokenKeysRequest().ToByteArray()),
                };
                using var http = new HttpClient(new SocketsHttpHandler { EnableMultipleHttp2Connections = true }) { Timeout = TimeSpan.FromSeconds(30) };

                var (outcomes, defects) = await GrpcFuzzer.MutateAllAsync(http, host.Address, valid, Mutations, seed: 1301);
                output.WriteLine("mutations: " + string.Join(", ", outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key}={o.Value}")));

                var health = await new global::Grpc.Health.V1.Health.HealthClient(host.Channel).CheckAsync(new global::Grpc.Health.V1.HealthCheckRequest());
                var memoryAfter = GrpcFuzzer.ManagedMemory();
                Assert.True(defects.Count == 0, $"not a clear status:{Environment.NewLine}{string.Join(Environment.NewLine, defects)}");
                Assert.Equal(Mutations, outcomes.Values.Sum());
                Assert.Equal(global::Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
                Assert.Contains("keeper-peer:kept-by-keeper.bin", await host.Channel.QueryHoldersAsync("kept-*"));
                Assert.True((await host.Channel.SendIndexAsync(keeper.Session, SendIndexRequest.Types.Kind.Digest, [kept])).InSync);
                Assert.True(memoryAfter - memoryBefore < 64L * 1024 * 1024, $"managed memory grew by {(memoryAfter - memoryBefore) / 1024 / 1024} MiB");
            }

            // The SQLite file the fuzzing wrote through to still holds the genuine peer's index.
            await using var restarted = await BootstrapHost.StartAsync(settings);
            Assert.Contains("keeper-peer:kept-by-keeper.bin", await restarted.Channel.QueryHoldersAsync("kept-*"));
        }
        finally
        {
            System.IO.Directory.Delete(folder, recursive: true);
        }
    }
}
