namespace P2PMesh.Cli.LocalMesh;

/// <summary>
/// What a mesh directory held when <see cref="MeshDirectory.Inspect"/> looked: whether an <c>up</c> holds its lock
/// (<paramref name="Running"/>), the owner record (<paramref name="Owner"/>, <c>null</c> if none), the state file
/// that record names (else <c>&lt;dir&gt;/mesh.json</c>) and its content (<paramref name="State"/>, <c>null</c>
/// while the mesh is still starting, after a clean stop, or if unreadable).
/// </summary>
internal sealed record MeshSnapshot(MeshDirectory Directory, bool Running, MeshOwner? Owner, string StateFile, MeshState? State)
{
    /// <summary>No <c>up</c> holds the directory, but one left its record or state behind (it was killed or crashed).</summary>
    public bool IsStale => !Running && (Owner is not null || State is not null);

    /// <summary>The pid of the <c>up</c> that holds or held the directory: from the owner record, else the state file.</summary>
    public int? UpPid => Owner?.Pid ?? State?.Pid;
}
