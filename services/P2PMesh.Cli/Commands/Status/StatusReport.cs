using System.Text.Json.Serialization;

namespace P2PMesh.Cli.Commands.Status;

/// <summary><c>status --json</c>.</summary>
/// <param name="Api">The API asked.</param>
/// <param name="Ready">Whether its PServer answers (<c>/readyz</c>).</param>
/// <param name="Detail">Why it is not ready, or what could not be read.</param>
/// <param name="PeerId">The API's peer, when ready.</param>
/// <param name="PServer">Its PServer <c>host:port</c>, when ready.</param>
/// <param name="Neighbours">How many neighbours it lists.</param>
/// <param name="HealthyNeighbours">How many of them answered a ping.</param>
/// <param name="Files">Files in its share.</param>
/// <param name="Bytes">Their total size.</param>
internal sealed record StatusReport(
    string Api, bool Ready, string? Detail, string? PeerId, [property: JsonPropertyName("pserver")] string? PServer, int? Neighbours, int? HealthyNeighbours, int? Files, long? Bytes);
