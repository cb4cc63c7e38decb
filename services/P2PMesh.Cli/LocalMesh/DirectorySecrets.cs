using System.Security.Cryptography;
using System.Text;

namespace P2PMesh.Cli.LocalMesh;

/// <summary>
/// The per-peer directory secrets of a local mesh (docs/architecture.md, CLI; the Bootstrap's and the PServer's
/// <c>Directory:SecretsDirectory</c>): one file per peer in <c>&lt;dir&gt;/run/secrets</c>, named by the peer id, holding
/// 32 random bytes in base64url, the layout of a mounted Kubernetes Secret. <c>up</c> writes fresh ones on every run and
/// hands the folder to the Bootstrap (which checks every login against it) and to each PServer (which reads its own file).
/// On Unix the folder is 0700 and the files 0600. The secrets are never printed.
/// </summary>
internal static class DirectorySecrets
{
    /// <summary>The setting both the Bootstrap and the PServer read the folder from.</summary>
    public const string SettingName = "Directory:SecretsDirectory";

    /// <summary>Random bytes per secret: 32.</summary>
    private const int SecretBytes = 32;

    /// <summary><c>&lt;dir&gt;/run/secrets</c>.</summary>
    public static string FolderOf(string meshDirectory) => Path.Combine(Path.GetFullPath(meshDirectory), "run", "secrets");

    /// <summary>The child's command-line setting for <paramref name="folder"/>: <c>--Directory:SecretsDirectory=&lt;folder&gt;</c>.</summary>
    public static string Argument(string folder) => $"--{SettingName}={folder}";

    /// <summary>
    /// Writes a new secret for each of <paramref name="peerIds"/> into <see cref="FolderOf"/> (replacing the files of an
    /// earlier run, removing those of peers no longer there) and returns the folder.
    /// </summary>
    public static string Write(string meshDirectory, IEnumerable<string> peerIds)
    {
        var folder = FolderOf(meshDirectory);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            // CreateDirectory leaves an existing folder's mode alone (and the umask may have narrowed a new one's).
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        foreach (var stale in Directory.EnumerateFiles(folder))
        {
            File.Delete(stale);
        }
        foreach (var peerId in peerIds)
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                // Created 0600: the secret is never readable by others, not even for a moment.
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            using var file = new FileStream(Path.Combine(folder, peerId), options);
            file.Write(Encoding.ASCII.GetBytes(Base64Url(RandomNumberGenerator.GetBytes(SecretBytes))));
        }
        return folder;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
