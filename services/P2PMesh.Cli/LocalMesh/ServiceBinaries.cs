namespace P2PMesh.Cli.LocalMesh;

/// <summary>
/// Where <c>p2pmesh up</c> finds the three services it runs as <c>dotnet &lt;dll&gt;</c>. The first place
/// that holds all three wins:
/// <list type="number">
/// <item><c>$P2PMESH_BIN</c> (then only there): <c>&lt;dir&gt;/&lt;Name&gt;.dll</c>, <c>&lt;dir&gt;/&lt;Name&gt;/&lt;Name&gt;.dll</c> or <c>&lt;dir&gt;/services/&lt;Name&gt;/&lt;Name&gt;.dll</c>;</item>
/// <item>the CLI's own directory: <c>services/&lt;Name&gt;/&lt;Name&gt;.dll</c> (the build output and the tool package carry them so), or flat;</item>
/// <item>a P2PMesh checkout above the CLI or the current directory: <c>services/&lt;Name&gt;/bin/{Release,Debug}/net10.0/&lt;Name&gt;.dll</c>.</item>
/// </list>
/// </summary>
internal sealed record ServiceBinaries(string Bootstrap, string PServer, string PClientApi, string Origin)
{
    /// <summary>The environment variable that points at a directory of service builds.</summary>
    public const string EnvironmentVariable = "P2PMESH_BIN";

    public const string BootstrapName = "P2PMesh.Bootstrap";
    public const string PServerName = "P2PMesh.PServer";
    public const string PClientApiName = "P2PMesh.PClientApi";

    private static readonly string[] Names = [BootstrapName, PServerName, PClientApiName];

#if DEBUG
    private static readonly string[] Configurations = ["Debug", "Release"];
#else
    private static readonly string[] Configurations = ["Release", "Debug"];
#endif

    /// <exception cref="FileNotFoundException">No place holds all three; the message lists where it looked.</exception>
    public static ServiceBinaries Locate(Func<string, string?> environment, string cliDirectory, string currentDirectory)
    {
        var searched = new List<string>();
        var bin = environment(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(bin))
        {
            var root = Path.GetFullPath(bin);
            return TryLayout(root, $"${EnvironmentVariable} ({root})", searched, name => name + ".dll", name => Path.Combine(name, name + ".dll"), name => Path.Combine("services", name, name + ".dll"))
                ?? throw NotFound(searched, $"${EnvironmentVariable} is set to {root}, which does not hold them.");
        }

        var found = TryLayout(cliDirectory, $"the CLI's directory ({cliDirectory})", searched, name => Path.Combine("services", name, name + ".dll"), name => name + ".dll");
        if (found is not null)
        {
            return found;
        }

        foreach (var start in new[] { cliDirectory, currentDirectory }.Distinct(StringComparer.Ordinal))
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (!Directory.Exists(Path.Combine(dir.FullName, "services", PServerName)))
                {
                    continue;
                }
                foreach (var configuration in Configurations)
                {
                    found = TryLayout(dir.FullName, $"the {configuration} build of the checkout at {dir.FullName}", searched,
                        name => Path.Combine("services", name, "bin", configuration, "net10.0", name + ".dll"));
                    if (found is not null)
                    {
                        return found;
                    }
                }
            }
        }
        throw NotFound(searched, $"Build them (dotnet build P2PMesh.sln) or set ${EnvironmentVariable} to a directory that holds them.");
    }

    private static ServiceBinaries? TryLayout(string root, string origin, List<string> searched, params Func<string, string>[] layouts)
    {
        foreach (var layout in layouts)
        {
            var paths = Names.Select(name => Path.Combine(root, layout(name))).ToArray();
            if (paths.All(File.Exists))
            {
                return new ServiceBinaries(paths[0], paths[1], paths[2], origin);
            }
            searched.Add(Path.Combine(root, layout("<Name>")));
        }
        return null;
    }

    private static FileNotFoundException NotFound(List<string> searched, string advice) => new(
        $"cannot find {string.Join(", ", Names.Select(n => n + ".dll"))}. {advice}{Environment.NewLine}Looked for:{Environment.NewLine}  " +
        string.Join(Environment.NewLine + "  ", searched));
}
