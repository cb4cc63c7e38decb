using System.Diagnostics;
using Grpc.Net.Client;
using P2PMesh.Testing.Contract;

namespace P2PMesh.Interop.Tests;

/// <summary>
/// Runs <c>node tests/interop/echo-server.js</c> (grpc-js) on 127.0.0.1 and a free port for a test
/// class, and stops it afterwards, even when tests fail. Its stdin is held open: if this process dies,
/// the server sees stdin close and exits, so no orphan outlives the run.
/// </summary>
public sealed class GrpcJsServerFixture : IAsyncLifetime, IEchoTarget
{
    private Process? _node;

    public Uri Address { get; private set; } = null!;

    public GrpcChannel Channel { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var interopDir = Path.Combine(RepositoryRoot(), "tests", "interop");
        if (!Directory.Exists(Path.Combine(interopDir, "node_modules", "@grpc", "grpc-js")))
        {
            throw new InvalidOperationException($"grpc-js is not installed: run `npm ci` in {interopDir}.");
        }
        var start = new ProcessStartInfo("node", "echo-server.js")
        {
            WorkingDirectory = interopDir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _node = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        _node.ErrorDataReceived += (_, _) => { };
        _node.BeginErrorReadLine();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var line = await _node.StandardOutput.ReadLineAsync(timeout.Token)
            ?? throw new InvalidOperationException("echo-server.js exited before listening.");
        const string Prefix = "LISTENING ";
        if (!line.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Unexpected first line from echo-server.js: '{line}'.");
        }
        Address = new Uri(line[Prefix.Length..]);
        Channel = GrpcChannel.ForAddress(Address);
    }

    public async Task DisposeAsync()
    {
        Channel?.Dispose();
        if (_node is { HasExited: false })
        {
            _node.StandardInput.Close();
            _node.Kill(entireProcessTree: true);
            await _node.WaitForExitAsync();
        }
        _node?.Dispose();
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "P2PMesh.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("P2PMesh.sln not found above " + AppContext.BaseDirectory);
    }
}
