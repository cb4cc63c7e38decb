namespace P2PMesh.Cli.Api.Models;

/// <summary>A holder of a found file: its PServer <c>host:port</c>, the name there, and how far away it is.</summary>
internal sealed record SearchSource(string PeerId, string Address, string Name, int Hops, IReadOnlyList<string> Path);
