using System.Diagnostics;

namespace P2PMesh.Cli.LocalMesh;

/// <summary>
/// Covers the one case the launcher's own cleanup cannot: <c>up</c> killed with SIGKILL (or crashing in
/// native code). A small <c>/bin/sh</c> loop, started with the pid of <c>up</c> and the path of a file
/// listing the children's pids, polls once a second; when <c>up</c> is gone it sends the listed
/// children SIGTERM, then SIGKILL 5 seconds later. A clean stop empties the file and kills the watchdog
/// first. Not on Windows (no /bin/sh); there a hard-killed <c>up</c> leaves its children running.
/// </summary>
internal static class Watchdog
{
    // alive: kill -0, and on Linux not a zombie (an unreaped `up` still answers kill -0).
    private const string Script = """
        trap '' INT HUP
        trap 'rm -f "$2"' EXIT
        alive() {
          kill -0 "$1" 2>/dev/null || return 1
          [ -r "/proc/$1/stat" ] || return 0
          [ "$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)" != Z ]
        }
        while alive "$1"; do sleep 1; done
        pids=$(cat "$2" 2>/dev/null)
        [ -n "$pids" ] || exit 0
        kill -TERM $pids 2>/dev/null
        i=0
        while [ $i -lt 10 ]; do
          left=""
          for p in $pids; do alive "$p" && left="$left $p"; done
          [ -n "$left" ] || exit 0
          sleep 0.5
          i=$((i+1))
        done
        kill -KILL $left 2>/dev/null
        """;

    public static Process? Start(int parentPid, string pidFile)
    {
        if (OperatingSystem.IsWindows() || !File.Exists("/bin/sh"))
        {
            return null;
        }
        var info = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "-c", Script, "p2pmesh-watchdog", parentPid.ToString(System.Globalization.CultureInfo.InvariantCulture), pidFile })
        {
            info.ArgumentList.Add(argument);
        }
        try
        {
            var process = Process.Start(info);
            process?.StandardInput.Close();
            return process;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
