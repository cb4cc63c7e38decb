using System.ComponentModel.DataAnnotations;
using System.Net;
using P2PMesh.Contracts;

namespace P2PMesh.PClientApi;

/// <summary>
/// Where the REST API listens and which PServer it fronts. Bound from the <c>Api</c> configuration
/// section (environment: <c>Api__Port</c>, <c>Api__PServer</c> and so on).
/// </summary>
public sealed class PClientApiOptions : IValidatableObject
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Api";

    /// <summary>The IP address the HTTP endpoint binds. Defaults to <c>0.0.0.0</c>.</summary>
    [Required]
    public string ListenAddress { get; set; } = "0.0.0.0";

    /// <summary>The HTTP port (HTTP/1.1); 0 picks a free one. Defaults to 8080.</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 8080;

    /// <summary>This peer's PServer, <c>host:port</c>. Defaults to <c>127.0.0.1:7000</c> (same pod or host).</summary>
    [Required]
    public string PServer { get; set; } = "127.0.0.1:7000";

    /// <summary>TTL of a search that names none. Defaults to 7.</summary>
    [Range(1, 255)]
    public int DefaultTtl { get; set; } = 7;

    /// <summary>How long a search may take before its partial results are returned. Defaults to 10 seconds.</summary>
    public TimeSpan SearchTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The bearer token the mutating endpoints (every POST, PUT, PATCH and DELETE under <c>/api</c>: uploads, downloads,
    /// cancelling a download) require in <c>Authorization: Bearer</c>; reads stay open. <c>null</c> (the default) with no
    /// <see cref="TokenFile"/> requires none. See docs/security.md.
    /// </summary>
    public string? Token { get; set; }

    /// <summary>A file holding <see cref="Token"/> (a mounted Kubernetes Secret; trailing white space trimmed), read at start.</summary>
    public string? TokenFile { get; set; }

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IPAddress.TryParse(ListenAddress, out _))
        {
            yield return new ValidationResult($"ListenAddress '{ListenAddress}' is not an IP address.", [nameof(ListenAddress)]);
        }
        if (!string.IsNullOrEmpty(TokenFile) && !File.Exists(TokenFile))
        {
            yield return new ValidationResult($"TokenFile '{TokenFile}' does not exist.", [nameof(TokenFile)]);
        }
        if (!PeerAddress.TryParse(PServer, out _, out var error))
        {
            yield return new ValidationResult($"PServer: {error}.", [nameof(PServer)]);
        }
        if (SearchTimeout <= TimeSpan.Zero)
        {
            yield return new ValidationResult("SearchTimeout must be positive.", [nameof(SearchTimeout)]);
        }
    }
}
