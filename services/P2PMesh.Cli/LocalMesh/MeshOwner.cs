namespace P2PMesh.Cli.LocalMesh;

/// <summary>
/// The <c>p2pmesh up</c> that holds (or, if stale, held) a mesh directory, as recorded in its
/// <c>run/up.pid</c> (<see cref="MeshDirectory.PidFile"/>): the pid of <c>up</c> itself and the full path of
/// the state file it writes (<c>--state</c>, default <c>&lt;dir&gt;/mesh.json</c>).
/// </summary>
internal sealed record MeshOwner(int Pid, string StateFile);
