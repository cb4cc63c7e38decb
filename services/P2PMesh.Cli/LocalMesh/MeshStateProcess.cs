namespace P2PMesh.Cli.LocalMesh;

/// <summary>A child process of <c>up</c>: <c>bootstrap</c>, <c>peer-N/pserver</c> or <c>peer-N/api</c>.</summary>
internal sealed record MeshStateProcess(string Name, int Pid, string Log);
