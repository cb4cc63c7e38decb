using System.Runtime.InteropServices;

namespace P2PMesh.Cli.LocalMesh;

/// <summary>
/// kill(2), for what <see cref="System.Diagnostics.Process.Kill()"/> cannot do: ask a child to stop
/// gracefully with SIGTERM (which ASP.NET Core hosts handle by shutting down, so a peer unlinks from
/// its neighbours and leaves the bootstrap), where Process.Kill sends SIGKILL.
/// </summary>
internal static partial class PosixSignals
{
    private const int SigTerm = 15;

    /// <summary>Sends SIGTERM; false on Windows or if the process is gone.</summary>
    public static bool TryTerminate(int pid) => !OperatingSystem.IsWindows() && Kill(pid, SigTerm) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
