using System.Text.Json;
using System.Text.Json.Serialization;
using P2PMesh.Cli.Api.Models;
using P2PMesh.Cli.Commands.Get;
using P2PMesh.Cli.Commands.Ps;
using P2PMesh.Cli.Commands.Status;
using P2PMesh.Cli.LocalMesh;
using P2PMesh.PClientApi.Contracts;

namespace P2PMesh.Cli;

/// <summary>
/// Every JSON shape the CLI reads or writes, source generated (reflection-based serialization is off):
/// the PClient-API's DTOs (camelCase; P2PMesh.PClientApi.Contracts, the same types the API writes), the
/// problem details it writes (<see cref="ApiProblem"/>) and the CLI's own outputs (<c>status --json</c>,
/// <c>get --json</c>, see <see cref="GetResult.TypeInfo"/>, the <c>up</c> state file, <c>ps --json</c>).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SearchResponse))]
[JsonSerializable(typeof(IReadOnlyList<SharedFileDto>))]
[JsonSerializable(typeof(PeersResponse))]
[JsonSerializable(typeof(UploadResponse))]
[JsonSerializable(typeof(StartDownloadRequest))]
[JsonSerializable(typeof(DownloadStatus))]
[JsonSerializable(typeof(ApiProblem))]
[JsonSerializable(typeof(StatusReport))]
[JsonSerializable(typeof(GetResult))]
[JsonSerializable(typeof(MeshState))]
[JsonSerializable(typeof(PsReport))]
[JsonSerializable(typeof(WatchedFile))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
