namespace P2PMesh.PServer.Tests.Mesh;

/// <summary>The breadth-first prediction of one flood.</summary>
public sealed record FloodPrediction(IReadOnlySet<int> Reached, int Messages, int Duplicates, int MaxHops, int[] Distances);
