using P2PMesh.Cli.LocalMesh;
using P2PMesh.Cli.Tests.Infrastructure;

namespace P2PMesh.Cli.Tests.LocalMesh;

/// <summary>The per-peer directory secrets <c>up</c> writes into <c>&lt;dir&gt;/run/secrets</c>.</summary>
public sealed class DirectorySecretsTests : IDisposable
{
    private readonly TempDirectory _temp = new("p2pmesh-secrets-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Write_OneBase64UrlSecretPerPeer_InRunSecrets()
    {
        var folder = DirectorySecrets.Write(_temp.Path, ["peer-1", "peer-2", "peer-3"]);

        Assert.Equal(Path.Combine(_temp.Path, "run", "secrets"), folder);
        Assert.Equal(["peer-1", "peer-2", "peer-3"], Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var secrets = Directory.GetFiles(folder).Select(File.ReadAllText).ToList();
        // 32 random bytes in unpadded base64url: 43 characters of [A-Za-z0-9_-].
        Assert.All(secrets, s => Assert.Matches("^[A-Za-z0-9_-]{43}$", s));
        Assert.Equal(3, secrets.Distinct().Count());
    }

    [SkippableFact]
    public void Write_FolderOwnerOnly_FilesOwnerReadWrite()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix file modes");
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var folder = DirectorySecrets.Write(_temp.Path, ["peer-1"]);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(folder, "peer-1")));
    }

    [Fact]
    public void Write_AgainWithFewerPeers_NewSecretsAndNoStaleFile()
    {
        var folder = DirectorySecrets.Write(_temp.Path, ["peer-1", "peer-2"]);
        var first = File.ReadAllText(Path.Combine(folder, "peer-1"));

        DirectorySecrets.Write(_temp.Path, ["peer-1"]);

        Assert.Equal(["peer-1"], Directory.GetFiles(folder).Select(Path.GetFileName));
        Assert.NotEqual(first, File.ReadAllText(Path.Combine(folder, "peer-1")));
    }

    [Fact]
    public void Argument_TheSettingBothServicesRead()
    {
        Assert.Equal("--Directory:SecretsDirectory=/m/run/secrets", DirectorySecrets.Argument("/m/run/secrets"));
    }
}
