using System.Collections.ObjectModel;
using System.Text.Json;
using P2PMesh.Core.Internal;

namespace P2PMesh.Core.Content.Internal;

/// <summary>
/// Reads and writes the hash cache file. Writes are atomic (<see cref="AtomicFile"/>), so a crash
/// leaves the old or the new cache, never a torn one.
/// </summary>
internal static class HashCacheStore
{
    public const string FileName = "index.json";

    /// <summary>Reads the cache at <paramref name="path"/>.</summary>
    /// <returns>The entries by name; empty when the file does not exist.</returns>
    /// <exception cref="InvalidDataException">The file is not a valid cache of <see cref="HashCacheDocument.CurrentVersion"/>.</exception>
    /// <exception cref="IOException">The file could not be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file could not be read.</exception>
    public static async Task<Dictionary<string, ContentFile>> LoadAsync(string path, CancellationToken cancellationToken)
    {
        var files = new Dictionary<string, ContentFile>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return files;
        }
        HashCacheDocument? document;
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (stream.ConfigureAwait(false))
        {
            try
            {
                document = await JsonSerializer.DeserializeAsync(stream, HashCacheJsonContext.Default.HashCacheDocument, cancellationToken).ConfigureAwait(false);
            }
            catch (JsonException ex)
            {
                throw new InvalidDataException($"not valid JSON ({ex.Message})", ex);
            }
        }
        if (document is null || document.Version != HashCacheDocument.CurrentVersion)
        {
            throw new InvalidDataException($"unknown version {document?.Version} (expected {HashCacheDocument.CurrentVersion})");
        }
        foreach (var entry in document.Files ?? [])
        {
            var file = ToContentFile(entry) ?? throw new InvalidDataException($"invalid entry '{entry?.Name}'");
            if (!files.TryAdd(file.Name, file))
            {
                throw new InvalidDataException($"duplicate entry '{file.Name}'");
            }
        }
        return files;
    }

    /// <summary>Writes <paramref name="files"/> to <paramref name="path"/>, creating its directory.</summary>
    public static async Task SaveAsync(string path, IEnumerable<ContentFile> files, CancellationToken cancellationToken)
    {
        var document = new HashCacheDocument
        {
            Version = HashCacheDocument.CurrentVersion,
            Files = [.. files.Select(f => new HashCacheEntry
            {
                Name = f.Name,
                Size = f.Size,
                LastWriteTicks = f.LastWriteTimeUtc.Ticks,
                ChunkSize = f.ChunkSize,
                Sha256 = f.Sha256,
                Chunks = [.. f.ChunkHashes],
            })],
        };
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await AtomicFile.WriteJsonAsync(path, document, HashCacheJsonContext.Default.HashCacheDocument, cancellationToken).ConfigureAwait(false);
    }

    private static ContentFile? ToContentFile(HashCacheEntry? entry)
    {
        if (entry is null ||
            !SharePath.IsValidName(entry.Name) ||
            entry.Size < 0 ||
            entry.ChunkSize is < ContentIndexOptions.MinChunkSize or > ContentIndexOptions.MaxChunkSize ||
            entry.LastWriteTicks is < 0 || entry.LastWriteTicks > DateTime.MaxValue.Ticks ||
            !IsSha256(entry.Sha256) ||
            entry.Chunks is null ||
            entry.Chunks.Length != (entry.Size + entry.ChunkSize - 1) / entry.ChunkSize ||
            !entry.Chunks.All(IsSha256))
        {
            return null;
        }
        return new ContentFile(
            entry.Name!,
            entry.Size,
            entry.Sha256!,
            entry.ChunkSize,
            new ReadOnlyCollection<string>(entry.Chunks),
            new DateTime(entry.LastWriteTicks, DateTimeKind.Utc));
    }

    private static bool IsSha256(string? hex) =>
        hex is { Length: 64 } && !hex.AsSpan().ContainsAnyExcept("0123456789abcdef");
}
