using System.Text.Json;
using System.Text.Json.Serialization;
using P2PMesh.Cli.Api.Models;
using P2PMesh.Cli.Commands.Get;
using P2PMesh.Cli.Commands.Status;
using P2PMesh.Cli.LocalMesh;

namespace P2PMesh.Cli;

/// <summary>
/// Every JSON shape the CLI reads or writes, source generated (reflection-based serialization is off):
/// the PClient-API's DTOs (camelCase, copied from its contract, not referenced) and the CLI's own
/// outputs (<c>status --json</c>, <c>get --json</c>, the <c>up</c> state file).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SearchResponse))]
[JsonSerializable(typeof(IReadOnlyList<SharedFile>))]
[JsonSerializable(typeof(PeersResponse))]
[JsonSerializable(typeof(UploadResponse))]
[JsonSerializable(typeof(DownloadRequest))]
[JsonSerializable(typeof(DownloadStatus))]
[JsonSerializable(typeof(ApiProblem))]
[JsonSerializable(typeof(StatusReport))]
[JsonSerializable(typeof(GetResult))]
[JsonSerializable(typeof(MeshState))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
