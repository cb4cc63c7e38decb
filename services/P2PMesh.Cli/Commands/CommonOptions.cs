using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using P2PMesh.Cli.Api;
using P2PMesh.PClientApi.Contracts;

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

    /// <summary>
    /// <c>--ttl N</c>: at least 1; the mesh's maximum (the PServer's <c>Search:MaxTtl</c>, 10 by default) is checked
    /// by the mesh, which names it in its 400 ("ttl must be between 1 and 10, got 50"); unset means the API's default.
    /// </summary>
    public static Option<int?> CreateTtlOption() => new("--ttl")
    {
        Description = "Hops the flood may travel, from 1 up to the mesh's maximum (10 by default); default: the API's, 7",
        HelpName = "N",
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 1)
            {
                return value;
            }
            result.AddError($"--ttl must be a whole number from 1 up to the mesh's maximum (10 by default), got '{text}'.");
            return null;
        },
    };

    /// <summary>
    /// <c>--via MODE</c>: how the API's peer searches (docs/architecture.md, Search modes), one of
    /// <see cref="SearchModes.All"/> (completed by the shell, anything else a usage error, exit 2); default <c>auto</c>.
    /// </summary>
    public static Option<string> CreateViaOption() => new Option<string>("--via")
    {
        Description = "How to search: flood (the neighbours, hop by hop), directory (one query to the directory), "
            + "auto (the directory, then a flood when it is unreachable or has no hits) or mom (the message bus)",
        HelpName = string.Join('|', SearchModes.All),
        DefaultValueFactory = _ => SearchModes.Default,
    }.AcceptOnlyFromAmong([.. SearchModes.All]);

    /// <summary>
    /// The one pattern (or hash) <paramref name="verb"/> takes, as an argument that accepts several tokens only to
    /// answer them with one hint: an unquoted glob that the shell expanded (<c>p2pmesh search *</c> →
    /// <c>search a.txt b.txt c.txt</c>) is a usage error (exit 2) saying to quote it, not one error per file.
    /// Read it with <see cref="SinglePattern"/>.
    /// </summary>
    public static Argument<string[]> CreatePatternArgument(string verb, string name, string helpName, string description)
    {
        var argument = new Argument<string[]>(name)
        {
            Description = description,
            HelpName = helpName,
            Arity = ArgumentArity.OneOrMore,
        };
        argument.Validators.Add(result =>
        {
            var tokens = result.Tokens.Select(t => t.Value).ToList();
            if (tokens.Count > 1)
            {
                result.AddError($"{verb} takes one pattern, got {tokens.Count} arguments — did the shell expand a glob? Quote it: p2pmesh {verb} '{GuessGlob(tokens)}'");
            }
        });
        return argument;
    }

    /// <summary>The single value of an argument made by <see cref="CreatePatternArgument"/> (its validator let only one through).</summary>
    public static string SinglePattern(ParseResult parseResult, Argument<string[]> argument) =>
        parseResult.GetRequiredValue(argument).Single();

    /// <summary>What the user probably typed: <c>*.ext</c> when every expanded name has that extension, else <c>*</c>.</summary>
    private static string GuessGlob(IReadOnlyList<string> expanded)
    {
        var extensions = expanded.Select(Path.GetExtension).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return extensions is [{ Length: > 1 } extension] ? "*" + extension : "*";
    }

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
