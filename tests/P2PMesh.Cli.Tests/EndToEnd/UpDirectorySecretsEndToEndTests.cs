using P2PMesh.Cli.LocalMesh;
using P2PMesh.Cli.Tests.Infrastructure;
using Xunit.Abstractions;

namespace P2PMesh.Cli.Tests.EndToEnd;

/// <summary>
/// <c>p2pmesh up</c> with real processes: it writes a secret per peer and starts the Bootstrap and every PServer with
/// <c>--Directory:SecretsDirectory=</c> that folder (as each child's log header shows its command line), and prints no secret.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class UpDirectorySecretsEndToEndTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _temp = new("p2pmesh-cli-secrets-");

    public void Dispose() => _temp.Dispose();

    [SkippableFact]
    public async Task Up_TwoPeers_SecretsWrittenAndHandedToTheBootstrapAndEveryPServer()
    {
        Skip.If(OperatingSystem.IsWindows(), "needs SIGTERM (Unix)");
        var directory = Path.Combine(_temp.Path, "mesh");

        await using var up = await RunningUp.StartAsync(directory, peers: 2, output);

        var folder = Path.Combine(directory, "run", "secrets");
        Assert.Equal(["peer-1", "peer-2"], Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var setting = DirectorySecrets.Argument(Path.GetFullPath(folder));
        foreach (var child in new[] { MeshStateProcess.BootstrapName, MeshStateProcess.PServerName("peer-1"), MeshStateProcess.PServerName("peer-2") })
        {
            var header = File.ReadLines(Path.Combine(directory, "logs", child.Replace('/', '.') + ".log")).First(l => l.StartsWith("=== ", StringComparison.Ordinal));
            Assert.Contains(setting, header);
        }
        foreach (var secret in Directory.GetFiles(folder).Select(File.ReadAllText))
        {
            Assert.DoesNotContain(secret, up.Cli.Out + up.Cli.Error);
        }
    }
}
