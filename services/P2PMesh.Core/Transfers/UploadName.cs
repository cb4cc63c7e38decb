using System.Diagnostics.CodeAnalysis;
using P2PMesh.Core.Content;
using Grpc.Core;
using P2PMesh.Contracts;

namespace P2PMesh.Core.Transfers;

/// <summary>
/// What a file may be called when uploaded: a plain name in the share's top folder (docs/architecture.md,
/// Content store: no request reaches a path outside the share).
/// </summary>
public static class UploadName
{
    /// <summary>The longest accepted name, in characters (a common file-system limit).</summary>
    public const int MaxLength = 255;

    /// <summary>
    /// The longest name in UTF-8 bytes, 255: what Linux file systems (NAME_MAX) store in one path component. A
    /// 255-character CJK name is 765 bytes and is refused here, not by the file system.
    /// </summary>
    public const int MaxUtf8Bytes = 255;

    /// <summary>Whether <paramref name="name"/> is a plain file name.</summary>
    /// <param name="name">The name to check.</param>
    /// <param name="error">
    /// When it is not, why (empty, too long, a path separator or NUL, "." or "..", or the state folder's
    /// name), as a sentence naming it; otherwise <c>null</c>.
    /// </param>
    public static bool IsValid([NotNullWhen(true)] string? name, [NotNullWhen(false)] out string? error)
    {
        var reason = name switch
        {
            null or "" => "is empty",
            { Length: > MaxLength } => $"is longer than {MaxLength} characters",
            "." or ".." => "is a directory reference",
            _ when System.Text.Encoding.UTF8.GetByteCount(name) > MaxUtf8Bytes => $"is {System.Text.Encoding.UTF8.GetByteCount(name)} bytes in UTF-8; at most {MaxUtf8Bytes} are allowed",
            _ when name.AsSpan().IndexOfAny('/', '\\', '\0') >= 0 => "contains a path separator or NUL",
            _ when name.Any(char.IsControl) => "contains a control character",
            _ when string.IsNullOrWhiteSpace(name) => "is blank",
            ContentIndexOptions.DefaultStateDirectoryName => "is reserved",
            _ => null,
        };
        error = reason is null ? null : $"file name '{LogText.Escape(name)}' {reason}; use a plain file name";
        return reason is null;
    }

    /// <summary>Throws unless <paramref name="name"/> is a plain file name (<see cref="IsValid"/>).</summary>
    /// <exception cref="RpcException">INVALID_ARGUMENT: empty, too long, a path separator or NUL, "." or "..", or the state folder's name.</exception>
    public static void Validate(string? name)
    {
        if (!IsValid(name, out var error))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, error));
        }
    }
}
