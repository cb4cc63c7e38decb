using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using P2PMesh.Cli.Tests.Infrastructure;
using P2PMesh.Contracts.Tls;
using P2PMesh.V1;
using Xunit.Abstractions;

namespace P2PMesh.Cli.Tests.EndToEnd;

/// <summary>
/// <c>p2pmesh up --tls</c> with real processes (docs/security.md, Transport): a local CA and certificate in
/// <c>DIR/run/tls</c>, every child started with <c>--Tls:*</c>, a search and a download across peers that work over
/// mutual TLS, and a PServer that gives a plaintext client no answer.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class UpTlsEndToEndTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _temp = new("p2pmesh-cli-tls-");

    public void Dispose() => _temp.Dispose();

    [SkippableFact]
    public async Task UpTls_SearchAndGetAcrossPeersOverMutualTls_PlaintextRefused()
    {
        Skip.If(OperatingSystem.IsWindows(), "needs SIGTERM (Unix)");
        var directory = Path.Combine(_temp.Path, "mesh");

        await using var up = await RunningUp.StartAsync(directory, peers: 2, output, "--tls");
        var content = RandomNumberGenerator.GetBytes(1_500_000);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        await File.WriteAllBytesAsync(Path.Combine(up.State.Peers[1].Share, "secret-plans.bin"), content);

        var tls = Path.Combine(directory, "run", "tls");
        Assert.True(File.Exists(Path.Combine(tls, LocalCertificateAuthority.CaFileName)));
        foreach (var child in up.State.Processes)
        {
            var header = File.ReadLines(child.Log).First(l => l.StartsWith("=== ", StringComparison.Ordinal));
            Assert.Contains("--Tls:Enabled=true", header);
        }
        StartsWith("https://", up.State.Bootstrap);

        // Search from peer-1 until peer-2's file shows up (peer-2 indexes it when its watcher sees it).
        JsonElement[] files = [];
        var watch = Stopwatch.StartNew();
        do
        {
            using var search = await CliProcess.RunJsonAsync(CommandTimeout, "search", "secret-plans.bin", "--json", "--api", up.State.Peers[0].Api);
            files = [.. search.RootElement.GetProperty("files").EnumerateArray().Select(f => f.Clone())];
        }
        while (files.Length == 0 && watch.Elapsed < TimeSpan.FromSeconds(60) && await Delay());
        Assert.Equal(sha256, Assert.Single(files).GetProperty("sha256").GetString());

        var outDirectory = Path.Combine(_temp.Path, "out");
        using (var got = await CliProcess.RunJsonAsync(CommandTimeout, "get", sha256, "--out", outDirectory, "--json", "--api", up.State.Peers[0].Api))
        {
            Assert.Equal("completed", got.RootElement.GetProperty("download").GetProperty("state").GetString());
            Assert.Equal(content, await File.ReadAllBytesAsync(got.RootElement.GetProperty("path").GetString()!));
        }

        using var plaintext = GrpcChannel.ForAddress($"http://{up.State.Peers[1].Pserver}");
        var refused = await Assert.ThrowsAsync<RpcException>(() =>
            new Peer.PeerClient(plaintext).PingAsync(new PingRequest(), deadline: DateTime.UtcNow.AddSeconds(10)).ResponseAsync);
        Assert.Contains(refused.StatusCode, new[] { StatusCode.Unavailable, StatusCode.Internal });
    }

    private static void StartsWith(string prefix, string text) => Assert.StartsWith(prefix, text, StringComparison.Ordinal);

    private static async Task<bool> Delay()
    {
        await Task.Delay(500);
        return true;
    }
}
