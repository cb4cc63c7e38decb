using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace P2PMesh.Core.Internal;

/// <summary>
/// Replaces a file atomically: the new content goes to a temporary file beside it
/// (<c>&lt;path&gt;.&lt;guid&gt;.tmp</c>), is flushed to disk, then renamed over the old one, so a crash
/// leaves the old or the new file, never a torn one. The temporary file is deleted when writing fails.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="value"/> as JSON to <paramref name="path"/> atomically; its directory must exist.</summary>
    /// <exception cref="IOException">The file could not be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The file could not be written.</exception>
    public static async Task WriteJsonAsync<T>(string path, T value, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            // Unbuffered: the serializer already writes in large pooled blocks.
            var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await JsonSerializer.SerializeAsync(stream, value, typeInfo, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }
}
