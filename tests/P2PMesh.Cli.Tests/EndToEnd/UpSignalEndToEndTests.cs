using System.Globalization;
using System.Runtime.InteropServices;
using P2PMesh.Cli.Tests.Infrastructure;
using Xunit.Abstractions;

namespace P2PMesh.Cli.Tests.EndToEnd;

/// <summary>
/// How <c>up</c> ends on a signal, with real processes: Ctrl-C (SIGINT) and SIGTERM both stop every child and exit
/// 130 (<see cref="ExitCodes.Cancelled"/>, services/P2PMesh.Cli/README.md, Exit codes).
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class UpSignalEndToEndTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _temp = new("p2pmesh-cli-signal-");

    public void Dispose() => _temp.Dispose();

    [SkippableTheory]
    [InlineData(PosixSignal.SIGINT)]
    [InlineData(PosixSignal.SIGTERM)]
    public async Task Up_Signal_Exit130AndEveryChildGone(PosixSignal signal)
    {
        Skip.If(OperatingSystem.IsWindows(), "sends POSIX signals");
        // Arrange
        await using var up = await RunningUp.StartAsync(Path.Combine(_temp.Path, "mesh"), peers: 1, output);
        // A child inherits an ignored SIGINT (a test run started as a background job of a non-interactive shell), and
        // .NET then leaves it ignored: Ctrl-C could not reach such an up, so there is nothing to test.
        Skip.If(signal == PosixSignal.SIGINT && IgnoresSigint(up.Cli.Process.Id), "up inherited SIGINT ignored from this test run (started as a background job?)");

        // Act + Assert: 130, and every child has exited.
        await up.Cli.StopAsync(signal);
        await CliProcess.AssertAllExitAsync(up.ChildPids, TimeSpan.FromSeconds(15));
        Assert.Contains("mesh stopped", up.Cli.Error);
    }

    /// <summary>Whether SIGINT (signal 2, bit 1) is in the process's ignored mask (<c>SigIgn</c> in /proc/&lt;pid&gt;/status, Linux).</summary>
    private static bool IgnoresSigint(int pid)
    {
        var status = $"/proc/{pid}/status";
        if (!File.Exists(status))
        {
            return false;
        }
        var mask = File.ReadLines(status).Single(l => l.StartsWith("SigIgn:", StringComparison.Ordinal))["SigIgn:".Length..].Trim();
        return (ulong.Parse(mask, NumberStyles.HexNumber, CultureInfo.InvariantCulture) & 0b10) != 0;
    }
}
