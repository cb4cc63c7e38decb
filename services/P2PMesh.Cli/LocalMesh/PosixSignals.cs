using System.Runtime.InteropServices;

namespace P2PMesh.Cli.LocalMesh;

/// <summary>
/// kill(2), for what <see cref="System.Diagnostics.Process.Kill()"/> cannot do: ask a child to stop
/// gracefully with SIGTERM (which ASP.NET Core hosts handle by shutting down, so a peer unlinks from
/// its neighbours and leaves the bootstrap), where Process.Kill sends SIGKILL; and ask whether a process
/// that is not our child still exists (signal 0).
/// </summary>
internal static partial class PosixSignals
{
    private const int SigInt = 2;
    private const int SigTerm = 15;
    private const int EPerm = 1;

    /// <summary>Sends SIGTERM; false on Windows or if the process is gone.</summary>
    public static bool TryTerminate(int pid) => !OperatingSystem.IsWindows() && Kill(pid, SigTerm) == 0;

    /// <summary>Sends SIGINT (what Ctrl-C sends); false on Windows or if the process is gone.</summary>
    public static bool TryInterrupt(int pid) => !OperatingSystem.IsWindows() && Kill(pid, SigInt) == 0;

    /// <summary>
    /// Whether a process with this pid exists: kill(pid, 0) succeeds, or fails with EPERM (it runs as another
    /// user). On Windows, whether <see cref="System.Diagnostics.Process.GetProcessById(int)"/> finds it running.
    /// </summary>
    public static bool IsAlive(int pid)
    {
        if (pid <= 0)
        {
            return false;
        }
        if (!OperatingSystem.IsWindows())
        {
            return Kill(pid, 0) == 0 || Marshal.GetLastPInvokeError() == EPerm;
        }
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
