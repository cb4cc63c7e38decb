namespace P2PMesh.Cli.LocalMesh;

/// <summary>A peer of the local mesh: id, PServer <c>host:port</c>, PClient-API URL and share directory.</summary>
internal sealed record MeshStatePeer(string Id, string Pserver, string Api, string Share);
