namespace P2PMesh.Cli.Tests.Infrastructure;

/// <summary>A new directory under the temp directory (for a test's meshes and files), deleted with its content on dispose.</summary>
internal sealed class TempDirectory(string prefix) : IDisposable
{
    /// <summary>Its full path.</summary>
    public string Path { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A child still writing its log; the temp directory is cleaned up eventually anyway.
        }
    }
}
