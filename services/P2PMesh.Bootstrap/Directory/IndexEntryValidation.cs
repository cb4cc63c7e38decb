using P2PMesh.Contracts;
using P2PMesh.V1;

namespace P2PMesh.Bootstrap.Directory;

/// <summary>
/// Checks an index entry (<c>SharedFile</c>, protos/p2pmesh/v1/peer.proto) a peer sends the directory: a share-relative
/// name of 1..<see cref="MaxNameLength"/> characters, not blank, not starting with <c>'/'</c>, without NUL; a size that
/// fits a signed 64-bit integer; a SHA-256 of 64 lowercase hex digits; a chunk size of at least 1.
/// </summary>
public static class IndexEntryValidation
{
    /// <summary>The longest accepted name, in characters (a Linux path's limit).</summary>
    public const int MaxNameLength = 4096;

    /// <summary>What is wrong with <paramref name="file"/>, naming it <paramref name="field"/>; <c>null</c> when it is valid.</summary>
    public static string? Check(SharedFile? file, string field)
    {
        if (file is null)
        {
            return $"{field} is required";
        }
        return CheckName(file.Name, field)
            ?? (file.Size > long.MaxValue ? $"{field}.size {file.Size} is too large"
            : !Sha256Hex.IsLowercase(file.Sha256) ? $"{field}.sha256 must be 64 lowercase hex digits"
            : file.ChunkSize == 0 ? $"{field}.chunk_size must be at least 1"
            : null);
    }

    /// <summary>What is wrong with the entry name <paramref name="name"/>, naming it <paramref name="field"/>; <c>null</c> when it is valid.</summary>
    public static string? CheckName(string? name, string field) =>
        string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength ? $"{field}.name must be 1-{MaxNameLength} non-blank characters"
        : name.StartsWith('/') || name.Contains('\0', StringComparison.Ordinal) ? $"{field}.name '{name}' is not a share-relative name"
        : null;
}
