using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using P2PMesh.Cli.Api;

namespace P2PMesh.Cli.Commands;

/// <summary>Factories for the options every client verb shares (each command gets its own instances).</summary>
internal static class CommonOptions
{
    /// <summary><c>--api URL</c>: an http(s) URL or host:port; a malformed one is a usage error.</summary>
    public static Option<Uri?> CreateApiOption() => new("--api")
    {
        Description = $"The PClient-API to talk to (URL or host:port). Defaults to ${ApiEndpoint.EnvironmentVariable}, else {ApiEndpoint.Default}",
        HelpName = "URL",
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : null;
            if (ApiEndpoint.TryParse(text, out var uri))
            {
                return uri;
            }
            result.AddError($"--api: '{text}' is not an http(s) URL or host:port.");
            return null;
        },
    };

    /// <summary><c>--json</c>: machine-readable output on stdout.</summary>
    public static Option<bool> CreateJsonOption() => new("--json")
    {
        Description = "Write JSON to stdout (for scripts) instead of tables",
    };

    /// <summary><c>--ttl N</c>: 1 to 255 (the mesh may cap it lower); unset means the API's default.</summary>
    public static Option<int?> CreateTtlOption() => new("--ttl")
    {
        Description = "Hops the flood may travel (1-255; default: the API's, 7)",
        HelpName = "N",
        CustomParser = result => ParseInt(result, "--ttl", 1, 255),
    };

    /// <summary>A custom parser's body: the single token as an integer in [min, max], else a parse error (exit 2).</summary>
    public static int ParseInt(ArgumentResult result, string name, int min, int max)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }
        result.AddError($"{name} must be a whole number between {min} and {max}, got '{text}'.");
        return default;
    }
}
