using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using P2PMesh.Core.Content;

namespace P2PMesh.Core.Tests.Content;

/// <summary>
/// A fresh temporary directory per test holding <c>share/</c> (the share) and <c>outside/</c> (a
/// sibling outside it, for link tests); deleted on dispose, whatever the test did.
/// </summary>
public sealed class TempShare : IDisposable
{
    public TempShare()
    {
        Root = Directory.CreateTempSubdirectory("p2pmesh-content-").FullName;
        Share = Directory.CreateDirectory(Path.Join(Root, "share")).FullName;
        Outside = Directory.CreateDirectory(Path.Join(Root, "outside")).FullName;
    }

    public string Root { get; }

    public string Share { get; }

    public string Outside { get; }

    public ContentIndexOptions Options(int chunkSize = 4096) => new() { ShareDirectory = Share, ChunkSize = chunkSize };

    public ContentIndex CreateIndex(int chunkSize = 4096, ILogger<ContentIndex>? logger = null) =>
        CreateIndex(Options(chunkSize), logger);

    public static ContentIndex CreateIndex(ContentIndexOptions options, ILogger<ContentIndex>? logger = null) =>
        new(Microsoft.Extensions.Options.Options.Create(options), TimeProvider.System, logger ?? NullLogger<ContentIndex>.Instance);

    /// <summary>Writes <paramref name="content"/> to <paramref name="name"/> ('/'-separated) below the share.</summary>
    public string Write(string name, byte[] content) => WriteAt(Share, name, content);

    public string WriteOutside(string name, byte[] content) => WriteAt(Outside, name, content);

    public string PathOf(string name) => Path.Join(Share, name.Replace('/', Path.DirectorySeparatorChar));

    public static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public void Dispose()
    {
        // Directory.Delete removes links themselves, never what they point to.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                Directory.Delete(Root, recursive: true);
                return;
            }
            catch (DirectoryNotFoundException)
            {
                return;
            }
            catch (IOException) when (attempt < 5)
            {
                Thread.Sleep(50);
            }
        }
    }

    private static string WriteAt(string directory, string name, byte[] content)
    {
        var path = Path.Join(directory, name.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }
}
