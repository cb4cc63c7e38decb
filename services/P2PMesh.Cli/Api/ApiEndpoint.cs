using System.Diagnostics.CodeAnalysis;

namespace P2PMesh.Cli.Api;

/// <summary>Which PClient-API the client verbs talk to: <c>--api</c>, else <c>$P2PMESH_API</c>, else <c>http://localhost:8080</c>.</summary>
internal static class ApiEndpoint
{
    /// <summary>The environment variable that names the API when <c>--api</c> does not.</summary>
    public const string EnvironmentVariable = "P2PMESH_API";

    /// <summary>The API when neither <c>--api</c> nor the environment names one (what <c>p2pmesh up</c> gives its first peer when the port is free).</summary>
    public static readonly Uri Default = new("http://localhost:8080/");

    /// <summary>Accepts an absolute <c>http</c>/<c>https</c> URL, or <c>host:port</c> (taken as <c>http://host:port/</c>).</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out Uri? uri)
    {
        uri = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        text = text.Trim();
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            text = "http://" + text;
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https") || string.IsNullOrEmpty(parsed.Host))
        {
            return false;
        }
        // A base address must end with '/' so that relative paths append to it.
        uri = parsed.AbsolutePath.EndsWith('/') ? parsed : new Uri(parsed.GetLeftPart(UriPartial.Path) + "/");
        return true;
    }

    /// <summary>The API to use, given the <c>--api</c> value (already validated) and an environment lookup.</summary>
    /// <exception cref="FormatException">The environment variable is set but not a URL.</exception>
    public static Uri Resolve(Uri? option, Func<string, string?> environment)
    {
        if (option is not null)
        {
            return option;
        }
        var fromEnvironment = environment(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return Default;
        }
        return TryParse(fromEnvironment, out var uri)
            ? uri
            : throw new FormatException($"{EnvironmentVariable}='{fromEnvironment}' is not an http(s) URL or host:port.");
    }
}
