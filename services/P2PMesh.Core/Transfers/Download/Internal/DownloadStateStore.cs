using System.Text.Json;
using P2PMesh.Core.Internal;

namespace P2PMesh.Core.Transfers.Download.Internal;

/// <summary>
/// Reads and writes download state files. Writes are atomic (<see cref="AtomicFile"/>), so a crash
/// leaves the old or the new state, never a torn one.
/// </summary>
internal static class DownloadStateStore
{
    /// <summary>Reads the state at <paramref name="path"/>.</summary>
    /// <returns>The document; <c>null</c> when there is none.</returns>
    /// <exception cref="InvalidDataException">The file is not a state file of <see cref="DownloadStateDocument.CurrentVersion"/>.</exception>
    /// <exception cref="IOException">The file could not be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file could not be read.</exception>
    public static async Task<DownloadStateDocument?> LoadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        DownloadStateDocument? document;
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            try
            {
                document = await JsonSerializer.DeserializeAsync(stream, DownloadStateJsonContext.Default.DownloadStateDocument, cancellationToken).ConfigureAwait(false);
            }
            catch (JsonException ex)
            {
                throw new InvalidDataException($"not valid JSON ({ex.Message})", ex);
            }
        }
        return document is { Version: DownloadStateDocument.CurrentVersion }
            ? document
            : throw new InvalidDataException($"unknown version {document?.Version} (expected {DownloadStateDocument.CurrentVersion})");
    }

    /// <summary>Writes <paramref name="document"/> to <paramref name="path"/> atomically (<see cref="AtomicFile"/>); its directory must exist.</summary>
    /// <exception cref="IOException">The file could not be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The file could not be written.</exception>
    public static Task SaveAsync(string path, DownloadStateDocument document, CancellationToken cancellationToken) =>
        AtomicFile.WriteJsonAsync(path, document, DownloadStateJsonContext.Default.DownloadStateDocument, cancellationToken);

    /// <summary>Deletes <paramref name="path"/> if it exists; false when it could not be deleted.</summary>
    public static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
