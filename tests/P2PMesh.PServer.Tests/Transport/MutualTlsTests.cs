using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using P2PMesh.Bootstrap.Tests;
using P2PMesh.Contracts;
using P2PMesh.Contracts.Tls;
using P2PMesh.Core.Peers;
using P2PMesh.PServer.Tests.Mesh;
using P2PMesh.V1;

namespace P2PMesh.PServer.Tests.Transport;

/// <summary>
/// Mutual TLS on the mesh's gRPC connections (<c>Tls:*</c>, docs/security.md, Transport), on real sockets: a Bootstrap
/// and two PServers with admission and TLS link, flood and read chunks over TLS; a caller without the mesh's client
/// certificate, with another CA's, or in plaintext gets no answer at all; the plaintext probe port serves
/// <c>grpc.health.v1.Health</c> and nothing else.
/// </summary>
public sealed class MutualTlsTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string _folder = Directory.CreateTempSubdirectory("p2pmesh-tls-").FullName;
    private readonly (string CertificateFile, string KeyFile, string CaFile) _mesh;

    public MutualTlsTests() => _mesh = LocalCertificateAuthority.Create(Path.Join(_folder, "mesh"), TimeSpan.FromHours(1));

    private string[] TlsSettings =>
        ["--Tls:Enabled=true", $"--Tls:CertificateFile={_mesh.CertificateFile}", $"--Tls:KeyFile={_mesh.KeyFile}", $"--Tls:CaFile={_mesh.CaFile}"];

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task AdmittedPeers_LinkFloodAndReadChunks_OverMutualTls()
    {
        await using var bootstrap = await BootstrapHost.StartAsync([
            .. TlsSettings, "--Admission:Required=true", "--Directory:Secrets:p0=s0", "--Directory:Secrets:p1=s1",
            $"--Directory:DatabasePath={Path.Join(_folder, "directory.db")}"]);
        Assert.Equal(Uri.UriSchemeHttps, bootstrap.Address.Scheme);
        await using var mesh = await TestMesh.StartAsync(2, i =>
        [
            .. TlsSettings, "--Admission:Required=true", $"--Neighbours:Bootstrap=127.0.0.1:{bootstrap.Address.Port}", $"--Directory:Secret=s{i}",
            "--Neighbours:AutoDiscover=true", "--Neighbours:MaintenanceInterval=00:00:00.200",
        ]);
        var content = RandomNumberGenerator.GetBytes(300_000);
        await mesh[1].AddFileAsync("over-tls.bin", content);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));

        Assert.True(await Poll.UntilAsync(() => Task.FromResult(mesh[0].Neighbours.Contains("p1") && mesh[1].Neighbours.Contains("p0")), Patience),
            "the peers never linked over TLS");
        // p0's own channel pool: TLS with the mesh certificate and p0's peer token, as the download engine uses it.
        var pool = mesh[0].Services.GetRequiredService<PeerChannelPool>();
        var hits = new List<Hit>();
        using (var search = pool.Peer(new PeerAddress("127.0.0.1", mesh[0].Address.Port)).Search(new SearchRequest
        {
            QueryId = ByteString.CopyFrom(RandomNumberGenerator.GetBytes(16)), Pattern = "over-tls.bin", Ttl = 2,
        }))
        {
            await foreach (var e in search.ResponseStream.ReadAllAsync())
            {
                if (e.Hit is { } hit)
                {
                    hits.Add(hit);
                }
            }
        }
        var read = new MemoryStream();
        using (var chunks = pool.Peer(new PeerAddress("127.0.0.1", mesh[1].Address.Port)).ReadChunks(new ReadChunksRequest
        {
            Sha256 = sha256, Ranges = { new ByteRange { Offset = 0, Length = (ulong)content.Length } },
        }))
        {
            await foreach (var chunk in chunks.ResponseStream.ReadAllAsync())
            {
                chunk.Data.WriteTo(read);
            }
        }

        Assert.Equal(sha256, Assert.Single(hits).Sha256);
        Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(read.ToArray())));
        Assert.True(pool.Count > 0);
    }

    [Fact]
    public async Task Callers_WithoutTheMeshsClientCertificate_GetNoAnswer()
    {
        await using var host = await PServerHost.StartAsync(TlsSettings);
        var port = host.Address.Port;
        var other = LocalCertificateAuthority.Create(Path.Join(_folder, "other"), TimeSpan.FromHours(1));
        var trustsMesh = MeshTls.Load(_mesh.CertificateFile, _mesh.KeyFile, _mesh.CaFile);

        var member = await PingAsync(trustsMesh, configure: null, port);
        // Trusts the server, presents nothing.
        var anonymous = await Assert.ThrowsAsync<RpcException>(() => PingAsync(trustsMesh, h => h.SslOptions.ClientCertificates = [], port));
        // Presents a certificate of another CA.
        var stranger = await Assert.ThrowsAsync<RpcException>(() => PingAsync(MeshTls.Load(other.CertificateFile, other.KeyFile, other.CaFile),
            h => h.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true, port));
        // Plaintext HTTP/2 to the TLS port.
        var plaintext = await Assert.ThrowsAsync<RpcException>(() => PingAsync(MeshTls.Plaintext, configure: null, port));
        // The client refuses a server whose certificate is not of the mesh CA.
        await using var foreign = await PServerHost.StartAsync("--Tls:Enabled=true", $"--Tls:CertificateFile={other.CertificateFile}",
            $"--Tls:KeyFile={other.KeyFile}", $"--Tls:CaFile={_mesh.CaFile}");
        var foreignServer = await Assert.ThrowsAsync<RpcException>(() => PingAsync(trustsMesh, configure: null, foreign.Address.Port));

        Assert.Equal(host.Id, member.Peer.Id);
        // The server ends the handshake (TLS 1.3 sends its alert after the client's Finished, so the client may already
        // be writing HTTP/2) or answers cleartext with a TLS alert: the client sees a failed or broken connection.
        foreach (var refused in new[] { anonymous, stranger, plaintext })
        {
            Assert.Contains(refused.StatusCode, new[] { StatusCode.Unavailable, StatusCode.Internal });
        }
        // The client's own check refused the server (grpc-dotnet reports a failed TLS handshake as INTERNAL).
        Assert.Contains(foreignServer.StatusCode, new[] { StatusCode.Unavailable, StatusCode.Internal });
        Assert.Contains("rejected by the provided RemoteCertificateValidationCallback", foreignServer.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbePort_PlaintextHealthOnly()
    {
        await using var host = await PServerHost.StartAsync([.. TlsSettings, "--Tls:ProbePort=0"]);
        var probe = new Uri(host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Single(a => a.StartsWith("http://", StringComparison.Ordinal)));
        using var channel = GrpcChannel.ForAddress(probe);

        var health = await new global::Grpc.Health.V1.Health.HealthClient(channel).CheckAsync(new HealthCheckRequest { Service = Peer.Descriptor.FullName });
        var ping = await Assert.ThrowsAsync<RpcException>(() => new Peer.PeerClient(channel).PingAsync(new PingRequest()).ResponseAsync);
        var search = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = new Peer.PeerClient(channel).Search(new SearchRequest { QueryId = ByteString.CopyFrom(new byte[16]), Pattern = "*", Ttl = 1 });
            await call.ResponseStream.MoveNext();
        });

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        Assert.Equal(StatusCode.Unimplemented, ping.StatusCode);
        Assert.Equal(StatusCode.Unimplemented, search.StatusCode);
        Assert.Equal(Uri.UriSchemeHttps, host.Address.Scheme);
    }

    private static async Task<PingReply> PingAsync(MeshTls tls, Action<SocketsHttpHandler>? configure, int port)
    {
        var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5) };
        tls.ConfigureClient(handler);
        configure?.Invoke(handler);
        using var channel = GrpcChannel.ForAddress(tls.UriOf(new PeerAddress("127.0.0.1", port)), new GrpcChannelOptions { HttpHandler = handler });
        return await new Peer.PeerClient(channel).PingAsync(new PingRequest(), deadline: DateTime.UtcNow.AddSeconds(10));
    }
}
