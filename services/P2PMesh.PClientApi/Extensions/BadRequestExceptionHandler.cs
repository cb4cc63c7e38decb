using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using P2PMesh.PClientApi.Apis;

namespace P2PMesh.PClientApi.Extensions;

/// <summary>
/// Turns a <see cref="BadHttpRequestException"/> into RFC 9457 problem details that say what is wrong: a
/// parameter that does not bind (<c>explain=maybe</c>) or a body that is not the JSON expected
/// (<c>POST /api/downloads</c> with <c>{bad</c>) is a validation problem (400, <c>errors</c> keyed by the
/// parameter, or <c>body</c>), and a body over the request's limit is <see cref="UploadTooLarge"/> (413).
/// Minimal APIs throw these only with <see cref="RouteHandlerOptions.ThrowOnBadRequest"/>, which
/// <see cref="Extensions.AddPClientApi"/> turns on; otherwise they answer a bare 400.
/// </summary>
public sealed partial class BadRequestExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }
        var problem = bad.StatusCode == StatusCodes.Status413PayloadTooLarge
            ? new ProblemDetails
            {
                Status = bad.StatusCode,
                Title = UploadTooLarge.Title,
                Detail = UploadTooLarge.Detail(null, httpContext.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize ?? 0),
            }
            : new HttpValidationProblemDetails(new Dictionary<string, string[]> { [FieldOf(bad)] = [Describe(bad)] })
            {
                Status = bad.StatusCode,
                Detail = bad.Message,
            };
        httpContext.Response.StatusCode = bad.StatusCode;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, Exception = exception, ProblemDetails = problem })
            .ConfigureAwait(false);
    }

    /// <summary>The parameter a binding failure names (<c>Failed to bind parameter "bool? explain" from "maybe".</c>), <c>body</c> for the JSON body, else <c>request</c>.</summary>
    internal static string FieldOf(BadHttpRequestException bad) =>
        bad.InnerException is JsonException || bad.Message.Contains("request body", StringComparison.Ordinal) ? "body"
        : ParameterName().Match(bad.Message) is { Success: true } match ? match.Groups["name"].Value
        : "request";

    private static string Describe(BadHttpRequestException bad) => bad.InnerException switch
    {
        JsonException json => $"The body is not the JSON expected: {json.Message}",
        _ when ParameterName().Match(bad.Message) is { Success: true } match && match.Groups["value"].Success =>
            $"'{match.Groups["value"].Value}' is not a valid {TypeName(match.Groups["type"].Value)}.",
        _ => bad.Message,
    };

    /// <summary>"int?" or "Nullable&lt;int&gt;" → "int".</summary>
    private static string TypeName(string type) =>
        type.StartsWith("Nullable<", StringComparison.Ordinal) && type.EndsWith('>') ? type["Nullable<".Length..^1] : type.TrimEnd('?');

    // RequestDelegateFactory's messages: Failed to bind parameter "{type} {name}" from "{value}". / Required parameter "{type} {name}" was not provided from ….
    [GeneratedRegex("""parameter "(?<type>[^"]+) (?<name>[A-Za-z0-9_]+)"(?: from "(?<value>[^"]*)")?""")]
    private static partial Regex ParameterName();
}
