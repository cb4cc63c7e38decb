using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace P2PMesh.PClientApi.Security;

/// <summary>
/// Guards the PClient-API's mutating endpoints (docs/security.md, The API token): with <see cref="PClientApiOptions.Token"/>
/// or <see cref="PClientApiOptions.TokenFile"/> set, a POST, PUT, PATCH or DELETE under <c>/api</c> needs
/// <c>Authorization: Bearer &lt;token&gt;</c> — 401 problem details without one, 403 with a wrong one (compared in constant
/// time); GET and HEAD stay open. Without a token configured it lets everything through.
/// </summary>
public sealed class ApiTokenGate(RequestDelegate next, IOptions<PClientApiOptions> options)
{
    private readonly byte[]? _token = Read(options.Value) is { Length: > 0 } token ? Encoding.UTF8.GetBytes(token) : null;

    /// <summary>Checks the request, then passes it on.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        if (_token is null || HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)
            || !request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Token required",
                detail: "This API changes nothing without its token: send Authorization: Bearer <token> (p2pmesh: $P2PMESH_API_TOKEN).").ExecuteAsync(context);
            return;
        }
        var offered = Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim());
        if (!CryptographicOperations.FixedTimeEquals(offered, _token))
        {
            await Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Wrong token",
                detail: "The bearer token is not this API's.").ExecuteAsync(context);
            return;
        }
        await next(context);
    }

    private static string? Read(PClientApiOptions options) =>
        !string.IsNullOrWhiteSpace(options.Token) ? options.Token.Trim()
        : !string.IsNullOrEmpty(options.TokenFile) ? File.ReadAllText(options.TokenFile).TrimEnd()
        : null;
}
