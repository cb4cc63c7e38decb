namespace P2PMesh.Core.Content.Internal;

/// <summary>A file found by a walk of the share, before hashing.</summary>
/// <param name="Name">Its <see cref="ContentFile.Name"/>.</param>
/// <param name="SourcePath">The link-free absolute path its bytes are read from (a link's target for a link).</param>
/// <param name="Size">Its length in bytes when found.</param>
/// <param name="LastWriteTimeUtc">Its last write time when found.</param>
internal readonly record struct ScanCandidate(string Name, string SourcePath, long Size, DateTime LastWriteTimeUtc);
