using P2PMesh.Contracts;

namespace P2PMesh.Core.Content;

/// <summary>SHA-256 content addresses as the wire carries them: 64 hex digits, lowercase when sent.</summary>
public static class ContentHash
{
    /// <summary>Hex digits in a SHA-256.</summary>
    public const int Sha256HexLength = Sha256Hex.Length;

    /// <summary>Whether <paramref name="value"/> is 64 hex digits (either case).</summary>
    public static bool IsSha256Hex(string? value) => value is not null && IsSha256Hex(value.AsSpan());

    /// <summary>Whether <paramref name="value"/> is 64 hex digits (either case).</summary>
    public static bool IsSha256Hex(ReadOnlySpan<char> value) => Sha256Hex.IsValid(value);

    /// <summary>Lowercase hex of <paramref name="hash"/> bytes.</summary>
    public static string ToHex(ReadOnlySpan<byte> hash) => Convert.ToHexStringLower(hash);
}
