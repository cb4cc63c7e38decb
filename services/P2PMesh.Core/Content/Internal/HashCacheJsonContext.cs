using System.Text.Json.Serialization;

namespace P2PMesh.Core.Content.Internal;

/// <summary>Source-generated System.Text.Json metadata for <see cref="HashCacheDocument"/>.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(HashCacheDocument))]
internal sealed partial class HashCacheJsonContext : JsonSerializerContext;
