using P2PMesh.Cli.LocalMesh;
using Xunit.Abstractions;

namespace P2PMesh.Cli.Tests.EndToEnd;

/// <summary>
/// A real <c>p2pmesh up --peers N --dir DIR --api-port 0</c> (state at its default, <c>DIR/mesh.json</c>), started
/// and waited for until ready. Disposing stops whatever is left, whatever the test did: SIGTERM to a running
/// <c>up</c> (then SIGKILL to its tree), SIGKILL to any child still alive, and <c>up</c>'s output to the test log.
/// </summary>
internal sealed class RunningUp : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private readonly ITestOutputHelper _output;

    private RunningUp(CliProcess cli, string directory, MeshState state, ITestOutputHelper output)
    {
        Cli = cli;
        Directory = directory;
        State = state;
        _output = output;
    }

    public CliProcess Cli { get; }

    public string Directory { get; }

    /// <summary><c>DIR/mesh.json</c>, where <c>up</c> writes its state by default.</summary>
    public string StatePath => Path.Combine(Directory, "mesh.json");

    public MeshState State { get; }

    /// <summary>The pids of every child (bootstrap, PServers, APIs).</summary>
    public IReadOnlyList<int> ChildPids => [.. State.Processes.Select(p => p.Pid)];

    /// <param name="directory">The mesh directory.</param>
    /// <param name="peers">How many peers.</param>
    /// <param name="output">Where up's output goes when the test ends.</param>
    /// <param name="extra">More options for up (e.g. <c>--mom local</c>).</param>
    public static async Task<RunningUp> StartAsync(string directory, int peers, ITestOutputHelper output, params string[] extra)
    {
        Assert.True(File.Exists(CliProcess.CliDll), $"build the CLI first: {CliProcess.CliDll}");
        var cli = CliProcess.Start(["up", "--peers", peers.ToString(System.Globalization.CultureInfo.InvariantCulture), "--dir", directory, "--api-port", "0", .. extra]);
        try
        {
            var state = await cli.WaitForStateAsync(Path.Combine(directory, "mesh.json"), StartTimeout);
            return new RunningUp(cli, directory, state, output);
        }
        catch
        {
            output.WriteLine($"--- up stdout:{Environment.NewLine}{cli.Out}--- up stderr:{Environment.NewLine}{cli.Error}");
            cli.Dispose();   // SIGKILL to up and its whole tree
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!Cli.Process.HasExited)
            {
                PosixSignals.TryTerminate(Cli.Process.Id);
                using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                try
                {
                    await Cli.Process.WaitForExitAsync(exit.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }
        finally
        {
            _output.WriteLine($"--- up stdout:{Environment.NewLine}{Cli.Out}--- up stderr:{Environment.NewLine}{Cli.Error}");
            Cli.Dispose();
            foreach (var pid in ChildPids)
            {
                CliProcess.KillIfAlive(pid);
            }
        }
    }
}
