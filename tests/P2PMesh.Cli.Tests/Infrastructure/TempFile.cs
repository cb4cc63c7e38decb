namespace P2PMesh.Cli.Tests.Infrastructure;

/// <summary>A file with the given bytes in the temp directory (for <c>put</c>), deleted on dispose.</summary>
internal sealed class TempFile : IDisposable
{
    public TempFile(byte[] content)
    {
        File.WriteAllBytes(Path, content);
    }

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"p2pmesh-cli-put-{Guid.NewGuid():N}.bin");

    public void Dispose() => File.Delete(Path);
}
