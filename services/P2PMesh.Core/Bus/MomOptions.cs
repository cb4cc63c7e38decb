using System.ComponentModel.DataAnnotations;

namespace P2PMesh.Core.Bus;

/// <summary>
/// The message bus settings, section <c>Mom</c> (docs/architecture.md, Message bus). The bus is optional: without
/// <see cref="Uri"/> nothing is published or consumed, and only mom search and watch are unavailable (they say so,
/// naming <c>Mom:Uri</c>).
/// </summary>
public sealed class MomOptions : IValidatableObject
{
    /// <summary>The configuration section, <c>Mom</c>.</summary>
    public const string SectionName = "Mom";

    /// <summary>The setting that turns the bus on, as operators write it.</summary>
    public const string UriKey = "Mom:Uri";

    /// <summary>The error every bus feature gives when <see cref="Uri"/> is not set.</summary>
    public const string NotConfiguredMessage =
        "The message bus is not configured on this peer: set Mom:Uri (e.g. --Mom:Uri=amqp://guest:guest@127.0.0.1:5672/, or `p2pmesh up --mom local`).";

    /// <summary>
    /// The broker's AMQP 0-9-1 URI, <c>amqp://user:password@host:port/vhost</c> (or <c>amqps://</c>); <c>null</c> or
    /// empty (the default) leaves the bus off.
    /// </summary>
    public string? Uri { get; set; }

    /// <summary>
    /// How long the client waits between attempts to reach the broker, at start and after losing it (RabbitMQ.Client's
    /// <c>NetworkRecoveryInterval</c>). Defaults to 2 s; 100 ms to 5 min.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan RecoveryInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How many index events a PServer keeps while the broker is unreachable, published in order once it is back;
    /// beyond that the oldest are dropped (with a warning). Defaults to 100,000; 1 to 10,000,000.
    /// </summary>
    [Range(1, 10_000_000)]
    public int MaxPendingEvents { get; set; } = 100_000;

    /// <summary>Whether <see cref="Uri"/> is set.</summary>
    public bool IsEnabled => !string.IsNullOrWhiteSpace(Uri);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (IsEnabled && !(System.Uri.TryCreate(Uri, UriKind.Absolute, out var uri) && uri.Scheme is "amqp" or "amqps" && uri.Host.Length > 0))
        {
            yield return new ValidationResult(
                $"Mom:Uri must be an absolute amqp:// or amqps:// URI with a host (amqp://user:password@host:5672/), got '{Redact(Uri!)}'.",
                [nameof(Uri)]);
        }
    }

    /// <summary><paramref name="uri"/> without the password of its user information, for logs and summaries.</summary>
    public static string Redact(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!System.Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || !parsed.UserInfo.Contains(':', StringComparison.Ordinal))
        {
            return uri;
        }
        var user = parsed.UserInfo[..parsed.UserInfo.IndexOf(':', StringComparison.Ordinal)];
        return new UriBuilder(parsed) { UserName = System.Uri.UnescapeDataString(user), Password = "" }.Uri.ToString();
    }
}
