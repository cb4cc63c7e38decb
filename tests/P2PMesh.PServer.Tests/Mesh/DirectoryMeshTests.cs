using Microsoft.Extensions.DependencyInjection;
using P2PMesh.Bootstrap.Tests;
using P2PMesh.Core.Content;
using P2PMesh.V1;

namespace P2PMesh.PServer.Tests.Mesh;

/// <summary>
/// The directory on a real mesh (docs/architecture.md, Directory): three PServers whose DirectoryAgents log in to a real
/// Bootstrap with per-peer secrets. The directory's Query follows the shares, equals the flood's hits, and the mesh
/// floods while the directory is down; restarted on the same database, the agents resync it.
/// </summary>
[Collection(TimingSensitiveCollection.Name)]
public sealed class DirectoryMeshTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Directory_FollowsSharesEqualsFloodAndResyncsAfterRestart()
    {
        var folder = System.IO.Directory.CreateTempSubdirectory("p2pmesh-directory-").FullName;
        string[] bootstrapSettings =
        [
            "--Directory:Secrets:p0=s0", "--Directory:Secrets:p1=s1", "--Directory:Secrets:p2=s2",
            $"--Directory:DatabasePath={Path.Join(folder, "directory.db")}", "--Directory:DigestInterval=00:00:00.500",
        ];
        var bootstrap = await BootstrapHost.StartAsync(bootstrapSettings);
        try
        {
            var port = bootstrap.Address.Port;
            await using var mesh = await TestMesh.StartAsync(3, i =>
            [
                $"--Neighbours:Bootstrap=127.0.0.1:{port}", $"--Directory:Secret=s{i}", "--Directory:DeltaDelay=00:00:00.050",
                "--Directory:RetryDelay=00:00:00.100", "--Directory:MaxRetryDelay=00:00:00.500",
            ]);
            await mesh.ConnectAsync(Topology.Line(3));

            // Act 1: files appear in the shares; one is deleted.
            await mesh[0].AddFileAsync("same.bin", [1, 2, 3]);
            await mesh[1].AddFileAsync("same.bin", [1, 2, 3]);
            await mesh[1].AddFileAsync("docs/notes.txt", [4]);
            await mesh[2].AddFileAsync("other.bin", [5, 6]);
            Assert.True(await Poll.UntilAsync(async () => Same(await bootstrap.Channel.QueryHoldersAsync("*"),
                ["p0:same.bin", "p1:docs/notes.txt", "p1:same.bin", "p2:other.bin"]), Patience), "the directory never saw the added files");
            File.Delete(Path.Join(mesh[1].ShareDirectory, "docs", "notes.txt"));
            await mesh[1].Services.GetRequiredService<ContentIndex>().RescanAsync();
            Assert.True(await Poll.UntilAsync(async () => Same(await bootstrap.Channel.QueryHoldersAsync("*"),
                ["p0:same.bin", "p1:same.bin", "p2:other.bin"]), Patience), "the directory kept the deleted file");

            // Assert 1: the directory's hits are the flood's, field by field (path and hops are the flood's own).
            var flood = await mesh.SearchAsync(0, "*", ttl: 5);
            var directory = await bootstrap.Channel.QueryAsync("*");
            Assert.Equal(Shape(flood.Hits), Shape(directory.Hits));
            Assert.Equal(3u, directory.PeersIndexed);
            var byHash = await bootstrap.Channel.QueryAsync("sha256:" + directory.Hits.First(h => h.Name == "same.bin").Sha256);
            Assert.Equal(["p0", "p1"], byHash.Hits.Select(h => h.Holder.Id));

            // Act 2: the directory goes down; the mesh floods without it and p2's share changes meanwhile.
            await bootstrap.DisposeAsync();
            var whileDown = await mesh.SearchAsync(0, "*.bin", ttl: 5);
            await mesh[2].AddFileAsync("late.bin", [7]);

            // Assert 2: flooding needs no directory; restarted on the same database the agents resync it.
            Assert.Equal(["p0:same.bin", "p1:same.bin", "p2:other.bin"], whileDown.Hits.Select(h => $"{h.Holder.Id}:{h.Name}").Order(StringComparer.Ordinal));
            bootstrap = await BootstrapHost.StartAsync([.. bootstrapSettings, $"--Bootstrap:GrpcPort={port}"]);
            Assert.True(await Poll.UntilAsync(async () => Same(await bootstrap.Channel.QueryHoldersAsync("*"),
                ["p0:same.bin", "p1:same.bin", "p2:late.bin", "p2:other.bin"]), Patience), "the agents never resynced the restarted directory");
            Assert.Equal(["p0", "p1", "p2"], await bootstrap.Channel.ListPeerIdsAsync());
        }
        finally
        {
            await bootstrap.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            System.IO.Directory.Delete(folder, recursive: true);
        }
    }

    private static bool Same(List<string> actual, string[] expected) => actual.SequenceEqual(expected);

    private static List<string> Shape(IEnumerable<Hit> hits) =>
        [.. hits.Select(h => $"{h.Holder.Id}@{h.Holder.Address} {h.Name} {h.Size} {h.Sha256} {h.ChunkSize}").Order(StringComparer.Ordinal)];
}
