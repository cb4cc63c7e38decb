using P2PMesh.FloodBench.Measurement;
using P2PMesh.FloodBench.Mesh;

namespace P2PMesh.FloodBench.Modes;

/// <summary>What one side-by-side run measured: the mesh, one row per mode, and the CPU while the rounds ran.</summary>
/// <param name="Layout">The mesh: topology, origins, holders of the common file.</param>
/// <param name="RareHolder">The peer that holds the rare file.</param>
/// <param name="Ttl">The requests' TTL.</param>
/// <param name="Rows">One summary per mode, in the order of <c>--modes</c>.</param>
/// <param name="Cpu">This process's and other processes' cores during the timed rounds.</param>
/// <param name="LinksIntact">Whether every peer still had exactly its topology neighbours at the end.</param>
internal sealed record SearchModesReport(MeshLayout Layout, int RareHolder, int Ttl, IReadOnlyList<ModeRow> Rows, CpuUsage Cpu, bool LinksIntact);
