using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace P2PMesh.Bootstrap.Directory;

/// <summary>
/// The per-peer secrets peers log in with (docs/architecture.md, Directory): <see cref="DirectoryOptions.Secrets"/> and the
/// files of <see cref="DirectoryOptions.SecretsDirectory"/> (file name = peer id, content = secret, trailing white space
/// trimmed), the directory read at each check so a rotated Kubernetes Secret takes effect at once.
/// </summary>
public sealed class PeerSecrets(IOptions<DirectoryOptions> options)
{
    /// <summary>
    /// Whether <paramref name="credential"/> is <paramref name="peerId"/>'s secret. False for a peer id without a secret,
    /// an empty credential, or one that differs; the comparison takes the same time wherever the two differ (both are
    /// hashed with SHA-256 and compared with <see cref="CryptographicOperations.FixedTimeEquals"/>).
    /// </summary>
    public bool Verify(string peerId, string? credential)
    {
        ArgumentNullException.ThrowIfNull(peerId);
        if (string.IsNullOrEmpty(credential) || Find(peerId) is not { Length: > 0 } secret)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(secret)), SHA256.HashData(Encoding.UTF8.GetBytes(credential)));
    }

    private string? Find(string peerId)
    {
        if (options.Value.SecretsDirectory is { Length: > 0 } folder && IsFileName(peerId))
        {
            var path = Path.Join(folder, peerId);
            try
            {
                if (File.Exists(path))
                {
                    return File.ReadAllText(path).TrimEnd();
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Unreadable: as if absent, so the peer falls back to the configured secret or cannot log in.
            }
        }
        return options.Value.Secrets.TryGetValue(peerId, out var secret) ? secret : null;
    }

    // A peer id names a file in the folder only when it is a plain file name: no separators, not "." or "..", and not
    // a Kubernetes Secret volume's own entries ("..data" and the timestamped folders start with "..").
    private static bool IsFileName(string peerId) =>
        peerId.Length > 0 && !peerId.StartsWith('.') && peerId.IndexOfAny(['/', '\\', '\0']) < 0;
}
