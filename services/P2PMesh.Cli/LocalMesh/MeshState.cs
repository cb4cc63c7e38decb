using System.Text.Json;

namespace P2PMesh.Cli.LocalMesh;

/// <summary>
/// What <c>p2pmesh up</c> writes to <c>--state</c> (default <c>.p2pmesh/mesh.json</c>) once the mesh is
/// ready, and deletes when it stops: <c>{"bootstrap": url, "peers": [{"id", "pserver", "api", "share"}]}</c>,
/// plus <c>pid</c> (of <c>up</c> itself), <c>logs</c> and <c>processes</c> (every child with its pid and
/// log) so that scripts and tests can check nothing is left behind.
/// </summary>
internal sealed record MeshState(string Bootstrap, IReadOnlyList<MeshStatePeer> Peers, int Pid, string Logs, IReadOnlyList<MeshStateProcess> Processes)
{
    /// <summary>Writes atomically (temp file, then rename), so a reader never sees half a file.</summary>
    public async Task WriteAsync(string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = path + ".tmp";
        await File.WriteAllTextAsync(temp, JsonSerializer.Serialize(this, CliJsonContext.Default.MeshState), cancellationToken).ConfigureAwait(false);
        File.Move(temp, path, overwrite: true);
    }

    public static MeshState? Read(string path) =>
        File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllText(path), CliJsonContext.Default.MeshState) : null;
}
