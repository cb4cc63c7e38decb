using Microsoft.AspNetCore.Http.HttpResults;
using P2PMesh.Core.Transfers;

namespace P2PMesh.PClientApi.Apis;

/// <summary>
/// The 413 problem of an upload over <c>Transfers:MaxUploadBytes</c> (<see cref="TransferOptions.MaxUploadBytes"/>):
/// RFC 9457 problem details whose detail names the limit, with the limit in the <c>maxUploadBytes</c> extension.
/// </summary>
public static class UploadTooLarge
{
    /// <summary>The problem's title.</summary>
    public const string Title = "Upload too large";

    /// <summary>The configuration key of the limit, as the problem's detail names it.</summary>
    public const string SettingName = TransferOptions.SectionName + ":" + nameof(TransferOptions.MaxUploadBytes);

    /// <summary>The detail: <paramref name="length"/> (null: the body, of unknown length, outgrew the limit) against <paramref name="limit"/>, in bytes.</summary>
    public static string Detail(long? length, long limit) => length is { } bytes
        ? $"{bytes} bytes exceeds the upload limit of {limit} bytes ({SettingName})."
        : $"The body exceeds the upload limit of {limit} bytes ({SettingName}).";

    /// <summary>The 413 result for a declared Content-Length of <paramref name="length"/> bytes over <paramref name="limit"/>.</summary>
    public static ProblemHttpResult Problem(long length, long limit) => TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge, title: Title, detail: Detail(length, limit),
        extensions: new Dictionary<string, object?> { ["maxUploadBytes"] = limit });
}
