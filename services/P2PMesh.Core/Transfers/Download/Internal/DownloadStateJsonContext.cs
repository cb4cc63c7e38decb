using System.Text.Json.Serialization;

namespace P2PMesh.Core.Transfers.Download.Internal;

/// <summary>Source-generated System.Text.Json metadata for <see cref="DownloadStateDocument"/>.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(DownloadStateDocument))]
internal sealed partial class DownloadStateJsonContext : JsonSerializerContext;
