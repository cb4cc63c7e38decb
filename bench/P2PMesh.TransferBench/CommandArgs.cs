using System.Globalization;

namespace P2PMesh.TransferBench;

/// <summary>The <c>--name value</c> pairs of a subcommand's command line.</summary>
internal sealed class CommandArgs
{
    private readonly Dictionary<string, string> _values;

    private CommandArgs(Dictionary<string, string> values) => _values = values;

    /// <exception cref="ArgumentException">An argument is not <c>--name value</c>, or a name repeats.</exception>
    public static CommandArgs Parse(ReadOnlySpan<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || args[i].Length < 3)
            {
                throw new ArgumentException($"expected --name, got '{args[i]}'");
            }
            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"{args[i]} needs a value");
            }
            if (!values.TryAdd(args[i][2..], args[i + 1]))
            {
                throw new ArgumentException($"{args[i]} is given twice");
            }
        }
        return new CommandArgs(values);
    }

    public string? Optional(string name) => _values.GetValueOrDefault(name);

    public string Required(string name) =>
        _values.TryGetValue(name, out var value) && value.Length > 0 ? value : throw new ArgumentException($"--{name} is required");

    public int Int(string name, int defaultValue, int min = int.MinValue) =>
        Optional(name) is not { } text ? defaultValue
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min ? value
        : throw new ArgumentException($"--{name} must be an integer of at least {min}, got '{text}'");

    public double Double(string name, double defaultValue) =>
        Optional(name) is not { } text ? defaultValue
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0 ? value
        : throw new ArgumentException($"--{name} must be a non-negative number, got '{text}'");

    /// <summary>A comma-separated list; empty when the option is absent.</summary>
    public IReadOnlyList<string> List(string name) =>
        Optional(name) is { } text ? text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];

    public IReadOnlyList<int> Pids(string name) =>
        [.. List(name).Select(p => int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid) && pid > 0
            ? pid
            : throw new ArgumentException($"--{name}: '{p}' is not a process id"))];
}
