using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using P2PMesh.Bootstrap.Directory;
using P2PMesh.V1;
using static P2PMesh.Bootstrap.Tests.BootstrapMethods;
using static P2PMesh.Bootstrap.Tests.DirectoryMethods;
using Kind = P2PMesh.V1.SendIndexRequest.Types.Kind;

namespace P2PMesh.Bootstrap.Tests.Grpc;

/// <summary>
/// <c>p2pmesh.v1.PeerDirectory</c> on a real Bootstrap over HTTP/2 (protos/p2pmesh/v1/directory.proto; docs/architecture.md,
/// Directory): login, logout, the index updates and their digest, queries, expiry and the database across a restart.
/// </summary>
public sealed class PeerDirectoryServiceTests
{
    private static readonly string[] Secrets = ["--Directory:Secrets:p1=secret-one", "--Directory:Secrets:p2=secret-two"];

    [Fact]
    public async Task Login_RightSecret_SessionAndPeerRegistered()
    {
        await using var host = await BootstrapHost.StartAsync([.. Secrets, "--Directory:DigestInterval=00:00:07"]);

        var reply = await host.Channel.LoginAsync(Peer("p1", 7001), "secret-one");

        Assert.Equal(32, Convert.FromBase64String(reply.Session.Replace('-', '+').Replace('_', '/') + "=").Length);
        Assert.Equal(TimeSpan.FromSeconds(7), reply.DigestInterval.ToTimeSpan());
        Assert.Equal(TimeSpan.FromSeconds(10), reply.HeartbeatInterval.ToTimeSpan());
        Assert.Equal(["p1"], await host.Channel.ListPeerIdsAsync());
        Assert.True(await host.Channel.HeartbeatAsync(Peer("p1", 7001)));
    }

    [Theory]
    [InlineData("p1", "wrong")]
    [InlineData("p1", "secret-two")]
    [InlineData("p1", "")]
    [InlineData("p1", null)]
    [InlineData("stranger", "secret-one")]
    public async Task Login_WrongMissingOrNoSecret_UnauthenticatedAndNoTrace(string peerId, string? credential)
    {
        await using var host = await BootstrapHost.StartAsync(Secrets);

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Channel.LoginAsync(Peer(peerId, 7001), credential));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Empty(await host.Channel.ListPeersAsync());
        var query = await host.Channel.QueryAsync("*");
        Assert.Empty(query.Hits);
        Assert.Equal(0u, query.PeersIndexed);
    }

    [Fact]
    public async Task Login_MalformedPeer_InvalidArgument()
    {
        await using var host = await BootstrapHost.StartAsync(Secrets);

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Channel.LoginAsync(new PeerInfo { Id = "p1", Address = "nope" }, "secret-one"));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public async Task Login_SecretFromSecretsDirectory_TrailingWhitespaceTrimmedAndWinsOverConfiguration()
    {
        var folder = System.IO.Directory.CreateTempSubdirectory("p2pmesh-secrets-").FullName;
        try
        {
            await System.IO.File.WriteAllTextAsync(Path.Join(folder, "p1"), "from-file\n");
            await using var host = await BootstrapHost.StartAsync([.. Secrets, $"--Directory:SecretsDirectory={folder}"]);

            var error = await Assert.ThrowsAsync<RpcException>(() => host.Channel.LoginAsync(Peer("p1", 7001), "secret-one"));
            var reply = await host.Channel.LoginAsync(Peer("p1", 7001), "from-file");
            var second = await host.Channel.LoginAsync(Peer("p2", 7002), "secret-two");

            Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
            Assert.NotEmpty(reply.Session);
            Assert.NotEmpty(second.Session);
        }
        finally
        {
            System.IO.Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Logout_RemovesPeerAndEveryEntryAtOnce()
    {
        await using var host = await BootstrapHost.StartAsync(Secrets);
        var session = (await host.Channel.LoginAsync(Peer("p1", 7001), "secret-one")).Session;
        await host.Channel.SendIndexAsync(session, Kind.Full, [Entry("a.iso", "a"), Entry("b.iso", "b")]);

        await host.Channel.LogoutAsync(session);

        Assert.Empty(await host.Channel.ListPeersAsync());
        Assert.Empty(await host.Channel.QueryHoldersAsync("*"));
        var again = await Assert.ThrowsAsync<RpcException>(() => host.Channel.LogoutAsync(session));
        Assert.Equal(StatusCode.Unauthenticated, again.StatusCode);
        var send = await Assert.ThrowsAsync<RpcException>(() => host.Channel.SendIndexAsync(session, Kind.Full, []));
        Assert.Equal(StatusCode.Unauthenticated, send.StatusCode);
    }

    [Fact]
    public async Task Leave_DropsSessionAndEntries()
    {
        await using var host = await BootstrapHost.StartAsync(Secrets);
        var session = (await host.Channel.LoginAsync(Peer("p1", 7001), "secret-one")).Session;
        await host.Channel.SendIndexAsync(session, Kind.Full, [Entry("a.iso", "a")]);

        await host.Channel.LeaveAsync(Peer("p1", 7001));

        Assert.Empty(await host.Channel.QueryHoldersAsync("*"));
        var error = await Assert.ThrowsAsync<RpcException>(() => host.Channel.SendIndexAsync(session, Kind.Digest, []));
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task SendIndex_FullDeltaDigest_InSyncAndQueryFollows()
    {
        await using var host = await BootstrapHost.StartAsync(Secrets);
        var session = (await host.Channel.LoginAsync(Peer("p1", 7001), "secret-one")).Session;
        SharedFile a = Entry("isos/a.iso", "a"), b = Entry("b.iso", "b"), c = Entry("c.txt", "c"), b2 = Entry("b.iso", "b, changed");

        var full = await host.Channel.SendIndexAsync(session, Kind.Full, [a, b]);
        var delta = await host.Channel.SendIndexAsync(session, Kind.Delta, [b2, c], upserted: [b2, c], removed: ["isos/a.iso"]);
        var digest = await host.Channel.SendIndexAsync(session, Kind.Digest, [b2, c], upserted: []);

        Assert.Equal((true, 2u), (full.InSync, full.Files));
        Assert.Equal((true, 2u), (delta.InSync, delta.Files));
        Assert.Equal((true, 2u), (digest.InSync, digest.Files));
        Assert.Equal(["p1:b.iso", "p1:c.txt"], await host.Channel.QueryHoldersAsync("*"));
        Assert.Equal(b2.Sha256, (await host.Channel.QueryAsync("b.iso")).Hits.Single().Sha256);
    }

    [Fact]
    public async Task SendIndex_DigestMismatch_NotInSyncThenFullRepairs()
    {
        await using var host = await BootstrapHost.StartAsync(Secrets);
        var session = (await host.Channel.LoginAsync(Peer("p1", 7001), "secret-one")).Session;
        SharedFile a = Entry("a", "a"), b = Entry("b", "b");
        await host.Channel.SendIndexAsync(session, Kind.Full, [a]);

        // The peer added b but the delta never arrived: its digest covers {a, b}.
        var digest = await host.Channel.SendIndexAsync(session, Kind.Digest, [a, b], upserted: []);
        var full = await host.Channel.SendIndexAsync(session, Kind.Full, [a, b]);

        Assert.False(digest.InSync);
        Assert.True(full.InSync);
        Assert.Equal(2u, full.Files);
    }

    [Fact]
    public async Task SendIndex_MalformedUpdates_InvalidArgumentAndNothingApplied()
    {
        await using var host = await BootstrapHost.StartAsync(Secrets);
        var session = (await host.Channel.LoginAsync(Peer("p1", 7001), "secret-one")).Session;
        var good = Entry("good", "g");
        var upper = Entry("upper", "u");
        upper.Sha256 = upper.Sha256.ToUpperInvariant();
        SendIndexRequest[] bad =
        [
            new() { Session = session, Kind = Kind.Unspecified, Digest = new string('0', 64) },
            new() { Session = session, Kind = Kind.Digest, Digest = "not hex" },
            new() { Session = session, Kind = Kind.Full, Digest = new string('0', 64), Upserted = { good, new SharedFile { Name = "", Sha256 = good.Sha256, ChunkSize = 1 } } },
            new() { Session = session, Kind = Kind.Full, Digest = new string('0', 64), Upserted = { good, upper } },
            new() { Session = session, Kind = Kind.Full, Digest = new string('0', 64), Upserted = { good, new SharedFile { Name = "z", Sha256 = good.Sha256 } } },
            new() { Session = session, Kind = Kind.Full, Digest = new string('0', 64), Upserted = { good, good } },
            new() { Session = session, Kind = Kind.Delta, Digest = new string('0', 64), Upserted = { good }, Removed = { new SharedFile { Name = "good" } } },
            new() { Session = session, Kind = Kind.Digest, Digest = new string('0', 64), Upserted = { good } },
        ];

        foreach (var request in bad)
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => host.Channel.SendIndexAsync(request));
            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        }
        Assert.Empty(await host.Channel.QueryHoldersAsync("*"));
    }

    [Fact]
    public async Task SendIndex_AboveMaxFilesPerPeer_ResourceExhaustedAndNothingApplied()
    {
        await using var host = await BootstrapHost.StartAsync([.. Secrets, "--Directory:MaxFilesPerPeer=2"]);
        var session = (await host.Channel.LoginAsync(Peer("p1", 7001), "secret-one")).Session;
        SharedFile a = Entry("a", "a"), b = Entry("b", "b"), c = Entry("c", "c");
        await host.Channel.SendIndexAsync(session, Kind.Full, [a, b]);

        var delta = await Assert.ThrowsAsync<RpcException>(() => host.Channel.SendIndexAsync(session, Kind.Delta, [a, b, c], upserted: [c]));
        var full = await Assert.ThrowsAsync<RpcException>(() => host.Channel.SendIndexAsync(session, Kind.Full, [a, b, c]));
        var swap = await host.Channel.SendIndexAsync(session, Kind.Delta, [a, c], upserted: [c], removed: ["b"]);

        Assert.Equal(StatusCode.ResourceExhausted, delta.StatusCode);
        Assert.Equal(StatusCode.ResourceExhausted, full.StatusCode);
        Assert.True(swap.InSync);
        Assert.Equal(["p1:a", "p1:c"], await host.Channel.QueryHoldersAsync("*"));
    }

    [Fact]
    public async Task Query_GlobAndSha256_EveryHolderWithTheFloodsHitFields()
    {
        await using var host = await BootstrapHost.StartAsync(Secrets);
        var s1 = (await host.Channel.LoginAsync(Peer("p1", 7001), "secret-one")).Session;
        var s2 = (await host.Channel.LoginAsync(Peer("p2", 7002), "secret-two")).Session;
        var shared = Entry("movies/Film.MKV", "film", chunkSize: 1024);
        var copy = shared.Clone();
        copy.Name = "film-copy.mkv";
        await host.Channel.SendIndexAsync(s1, Kind.Full, [shared, Entry("notes.txt", "n")]);
        await host.Channel.SendIndexAsync(s2, Kind.Full, [copy]);

        var glob = await host.Channel.QueryAsync("*.mkv");
        var byHash = await host.Channel.QueryAsync("sha256:" + shared.Sha256.ToUpperInvariant());
        var invalid = await Assert.ThrowsAsync<RpcException>(() => host.Channel.QueryAsync("dir/*.mkv"));

        Assert.Equal(["p1:movies/Film.MKV", "p2:film-copy.mkv"], glob.Hits.Select(h => $"{h.Holder.Id}:{h.Name}"));
        Assert.Equal(2u, glob.PeersIndexed);
        Assert.Equal(glob.Hits, byHash.Hits);
        var hit = glob.Hits[0];
        Assert.Equal(new Hit { Holder = Peer("p1", 7001), Name = shared.Name, Size = shared.Size, Sha256 = shared.Sha256, ChunkSize = 1024 }, hit);
        Assert.Equal(StatusCode.InvalidArgument, invalid.StatusCode);
    }

    [Fact]
    public async Task Login_Again_ReplacesSessionAndDropsIndex()
    {
        await using var host = await BootstrapHost.StartAsync(Secrets);
        var first = (await host.Channel.LoginAsync(Peer("p1", 7001), "secret-one")).Session;
        await host.Channel.SendIndexAsync(first, Kind.Full, [Entry("a", "a")]);

        var second = (await host.Channel.LoginAsync(Peer("p1", 7001), "secret-one")).Session;

        Assert.NotEqual(first, second);
        Assert.Empty(await host.Channel.QueryHoldersAsync("*"));
        var old = await Assert.ThrowsAsync<RpcException>(() => host.Channel.SendIndexAsync(first, Kind.Full, []));
        Assert.Equal(StatusCode.Unauthenticated, old.StatusCode);
    }

    [Fact]
    public async Task Expiry_ManualClock_SilentPeerLosesSessionAndEntriesHeartbeatingPeerKeepsThem()
    {
        var clock = new ManualTimeProvider();
        await using var host = await BootstrapHost.StartAsync(clock,
            [.. Secrets, "--Bootstrap:HeartbeatInterval=00:00:00.100", "--Bootstrap:PeerExpiry=00:00:00.500"]);
        var silent = (await host.Channel.LoginAsync(Peer("p1", 7001), "secret-one")).Session;
        var steady = (await host.Channel.LoginAsync(Peer("p2", 7002), "secret-two")).Session;
        await host.Channel.SendIndexAsync(silent, Kind.Full, [Entry("silent.bin", "s")]);
        await host.Channel.SendIndexAsync(steady, Kind.Full, [Entry("steady.bin", "t")]);

        clock.Advance(TimeSpan.FromMilliseconds(300));
        Assert.True(await host.Channel.HeartbeatAsync(Peer("p2", 7002)));
        clock.Advance(TimeSpan.FromMilliseconds(300));

        Assert.Equal(["p2"], await host.Channel.ListPeerIdsAsync());
        Assert.Equal(["p2:steady.bin"], await host.Channel.QueryHoldersAsync("*"));
        var error = await Assert.ThrowsAsync<RpcException>(() => host.Channel.SendIndexAsync(silent, Kind.Digest, [], upserted: []));
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.True((await host.Channel.SendIndexAsync(steady, Kind.Digest, [Entry("steady.bin", "t")], upserted: [])).InSync);
    }

    [Fact]
    public async Task Restart_SameDatabase_KeepsIndexAndSessionsWithOneExpiryOfGrace()
    {
        var folder = System.IO.Directory.CreateTempSubdirectory("p2pmesh-directory-").FullName;
        var database = Path.Join(folder, "directory.db");
        try
        {
            SharedFile a = Entry("a.iso", "a"), b = Entry("b.iso", "b");
            string s1, s2;
            await using (var first = await BootstrapHost.StartAsync([.. Secrets, $"--Directory:DatabasePath={database}"]))
            {
                s1 = (await first.Channel.LoginAsync(Peer("p1", 7001), "secret-one")).Session;
                s2 = (await first.Channel.LoginAsync(Peer("p2", 7002), "secret-two")).Session;
                await first.Channel.SendIndexAsync(s1, Kind.Full, [a, b]);
                await first.Channel.SendIndexAsync(s2, Kind.Full, [a]);
                await first.Channel.SendIndexAsync(s1, Kind.Delta, [a], upserted: [], removed: ["b.iso"]);
            }

            var clock = new ManualTimeProvider();
            await using var second = await BootstrapHost.StartAsync(clock,
                [.. Secrets, $"--Directory:DatabasePath={database}", "--Bootstrap:HeartbeatInterval=00:00:00.100", "--Bootstrap:PeerExpiry=00:00:00.500"]);

            Assert.Equal(["p1:a.iso", "p2:a.iso"], await second.Channel.QueryHoldersAsync("*"));
            Assert.Equal(["p1", "p2"], await second.Channel.ListPeerIdsAsync());
            Assert.True((await second.Channel.SendIndexAsync(s1, Kind.Digest, [a], upserted: [])).InSync);

            // Grace: p1 heartbeats within the expiry interval and stays; p2 never does and expires with its entries.
            clock.Advance(TimeSpan.FromMilliseconds(300));
            Assert.True(await second.Channel.HeartbeatAsync(Peer("p1", 7001)));
            clock.Advance(TimeSpan.FromMilliseconds(300));
            Assert.Equal(["p1"], await second.Channel.ListPeerIdsAsync());
            Assert.Equal(["p1:a.iso"], await second.Channel.QueryHoldersAsync("*"));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            System.IO.Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task IndexEventSink_AddedRemovedUnknownAndInvalid()
    {
        await using var host = await BootstrapHost.StartAsync(Secrets);
        var session = (await host.Channel.LoginAsync(Peer("p1", 7001), "secret-one")).Session;
        var sink = host.Services.GetRequiredService<IIndexEventSink>();
        var file = Entry("bus.bin", "bus");

        var added = await sink.ApplyAsync(new IndexEvent { Peer = Peer("p1", 7001), Change = IndexEvent.Types.Change.Added, File = file }, CancellationToken.None);
        var holders = await host.Channel.QueryHoldersAsync("*");
        var removed = await sink.ApplyAsync(new IndexEvent { Peer = Peer("p1", 7001), Change = IndexEvent.Types.Change.Removed, File = new SharedFile { Name = "bus.bin" } }, CancellationToken.None);
        var stranger = await sink.ApplyAsync(new IndexEvent { Peer = Peer("p9", 7009), Change = IndexEvent.Types.Change.Added, File = file }, CancellationToken.None);

        Assert.True(added);
        Assert.Equal(["p1:bus.bin"], holders);
        Assert.True(removed);
        Assert.False(stranger);
        Assert.Empty(await host.Channel.QueryHoldersAsync("*"));
        Assert.True((await host.Channel.SendIndexAsync(session, Kind.Digest, [], upserted: [])).InSync);
        await Assert.ThrowsAsync<ArgumentException>(async () => await sink.ApplyAsync(
            new IndexEvent { Peer = Peer("p1", 7001), Change = IndexEvent.Types.Change.Added, File = new SharedFile { Name = "x" } }, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(async () => await sink.ApplyAsync(
            new IndexEvent { Peer = Peer("p1", 7001), Change = IndexEvent.Types.Change.Unspecified, File = file }, CancellationToken.None));
    }
}
