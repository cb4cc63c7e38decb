using System.Text.Json;
using System.Text.Json.Serialization;

namespace P2PMesh.TransferBench;

/// <summary>The JSON lines every subcommand prints: snake_case, nulls left out.</summary>
internal static class Json
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}
