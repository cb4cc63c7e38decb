using System.Globalization;
using P2PMesh.V1;

namespace P2PMesh.FloodBench;

/// <summary>What to measure: the command line of the benchmark (see Program.cs for the options).</summary>
internal sealed record FloodBenchOptions
{
    /// <summary>Mesh sizes N. Defaults to 10, 50, 100, 200 (10, 50 with <c>--quick</c>).</summary>
    public IReadOnlyList<int> Sizes { get; init; } = [10, 50, 100, 200];

    /// <summary>TTLs searched on every mesh. Defaults to 3, 5, 7.</summary>
    public IReadOnlyList<int> Ttls { get; init; } = [3, 5, 7];

    /// <summary>Links per peer (d) of the random regular graphs. Defaults to 4.</summary>
    public int Degree { get; init; } = 4;

    /// <summary>Peers the searches enter through, taken in turn. Defaults to 4.</summary>
    public int Origins { get; init; } = 4;

    /// <summary>Timed searches per (N, TTL); <c>null</c>: 60 for N ≤ 50, 40 above (10 with <c>--quick</c>).</summary>
    public int? Runs { get; init; }

    /// <summary>
    /// Unmeasured searches per origin (at the largest TTL) before a mesh is measured: the client's
    /// channels, the links, and enough calls for the tiered JIT to promote the hot paths. Defaults to 5.
    /// </summary>
    public int WarmupRuns { get; init; } = 5;

    /// <summary>
    /// Longest wait, before each row, for other processes to use less than 0.25 cores. Defaults to 20 s;
    /// 0 turns the wait off.
    /// </summary>
    public TimeSpan QuietWait { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Extra, untimed searches per (N, TTL) with <c>explain</c>, to see the realised flood tree. Defaults to 5.</summary>
    public int ExplainedRuns { get; init; } = 5;

    /// <summary>Share of the peers (never an origin, at least one) that hold the searched file. Defaults to 0.1.</summary>
    public double HolderShare { get; init; } = 0.1;

    /// <summary>Markdown file whose flood-bench block is replaced (appended if missing); <c>null</c>: print only.</summary>
    public string? ResultsPath { get; init; }

    /// <summary>The command to quote in the report. Defaults to this program's own command line.</summary>
    public string Command { get; init; } = "dotnet P2PMesh.FloodBench.dll";

    /// <summary>Smoke mode: N ≤ 50, fewer runs.</summary>
    public bool Quick { get; init; }

    /// <summary>
    /// The search modes to compare side by side on one mesh (<c>--modes flood,directory,mom</c>, bench/README.md,
    /// "Search modes side by side"); <c>null</c> (the default): the flood benchmark against theory.
    /// </summary>
    public IReadOnlyList<SearchRequest.Types.Via>? Modes { get; init; }

    /// <summary>The deadline a MOM search collects answers until (its client's deadline). Defaults to 500 ms.</summary>
    public TimeSpan MomDeadline { get; init; } = TimeSpan.FromMilliseconds(500);

    public int RunsFor(int peers) => Runs ?? (Modes is not null ? 20 : Quick ? 10 : peers <= 50 ? 60 : 40);

    public static FloodBenchOptions Parse(string[] args)
    {
        var options = new FloodBenchOptions { Command = string.Join(' ', ["dotnet P2PMesh.FloodBench.dll", .. args]) };
        var sizesSet = false;
        var ttlsSet = false;
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--quick": options = options with { Quick = true, ExplainedRuns = Math.Min(options.ExplainedRuns, 2) }; break;
                case "--sizes": options = options with { Sizes = Integers(Value(), min: 3) }; sizesSet = true; break;
                case "--ttls": options = options with { Ttls = Integers(Value(), min: 1) }; ttlsSet = true; break;
                case "--degree": options = options with { Degree = Integer(Value(), min: 2) }; break;
                case "--origins": options = options with { Origins = Integer(Value(), min: 1) }; break;
                case "--runs": options = options with { Runs = Integer(Value(), min: 1) }; break;
                case "--warmup": options = options with { WarmupRuns = Integer(Value(), min: 1) }; break;
                case "--quiet-wait": options = options with { QuietWait = TimeSpan.FromSeconds(Integer(Value(), min: 0)) }; break;
                case "--explained": options = options with { ExplainedRuns = Integer(Value(), min: 0) }; break;
                case "--holders": options = options with { HolderShare = double.Parse(Value(), CultureInfo.InvariantCulture) }; break;
                case "--results": options = options with { ResultsPath = Value() }; break;
                case "--command": options = options with { Command = Value() }; break;
                case "--modes": options = options with { Modes = [.. Value().Split(',').Select(m => Mode(m.Trim())).Distinct()] }; break;
                case "--mom-deadline": options = options with { MomDeadline = TimeSpan.FromMilliseconds(Integer(Value(), min: 50)) }; break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'.");
            }
        }
        if (options.Quick && !sizesSet)
        {
            options = options with { Sizes = [10, 50] };
        }
        if (options.Modes is not null)
        {
            // One mesh, one TTL: the modes are compared on the same peers, files and queries.
            options = options with { Sizes = sizesSet ? options.Sizes : [100], Ttls = ttlsSet ? options.Ttls : [7] };
            if (options.Sizes.Count != 1 || options.Ttls.Count != 1)
            {
                throw new ArgumentException("--modes compares the modes on one mesh at one TTL: give one --sizes and one --ttls.");
            }
        }
        if (options.Sizes.Any(n => n * options.Degree % 2 != 0 || options.Degree >= n || options.Origins >= n))
        {
            throw new ArgumentException("Every N needs N·d even, d < N and more peers than origins.");
        }
        return options;
    }

    private static SearchRequest.Types.Via Mode(string text) => text switch
    {
        "flood" => SearchRequest.Types.Via.Flood,
        "directory" => SearchRequest.Types.Via.Directory,
        "mom" => SearchRequest.Types.Via.Mom,
        _ => throw new ArgumentException($"'{text}' is not a search mode (flood, directory, mom)."),
    };

    private static int Integer(string text, int min) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min
            ? value
            : throw new ArgumentException($"'{text}' is not an integer ≥ {min}.");

    private static int[] Integers(string text, int min) => [.. text.Split(',').Select(t => Integer(t.Trim(), min))];
}
