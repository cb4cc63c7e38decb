namespace P2PMesh.Cli.LocalMesh;

/// <summary>A child of <c>up</c> kept failing to start or did not become ready in time.</summary>
internal sealed class MeshStartException(string message) : Exception(message);
