namespace P2PMesh.Contracts;

/// <summary>
/// SHA-256 content addresses as the wire carries them (<c>SharedFile.sha256</c>, <c>Hit.sha256</c> in
/// protos/p2pmesh/v1/peer.proto): 64 hex digits, lowercase when sent.
/// </summary>
public static class Sha256Hex
{
    /// <summary>Hex digits in a SHA-256.</summary>
    public const int Length = 64;

    /// <summary>Whether <paramref name="value"/> is 64 hex digits (either case).</summary>
    public static bool IsValid(ReadOnlySpan<char> value) =>
        value.Length == Length && !value.ContainsAnyExcept("0123456789abcdefABCDEF");

    /// <summary>Whether <paramref name="value"/> is 64 lowercase hex digits, the form the wire carries.</summary>
    public static bool IsLowercase(string? value) =>
        value is not null && value.Length == Length && !value.AsSpan().ContainsAnyExcept("0123456789abcdef");
}
